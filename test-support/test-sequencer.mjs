// Jest's test order (jest.config.js `testSequencer`), for two workers on two cores: the longest
// files first, so that no worker is left running a slow file alone at the end of the run.
// Jest's own sequencer orders by the durations it cached on an earlier run, and by file size on a
// fresh clone (CI), where a slow file can start last. This one uses Jest's cached duration when
// there is one, else the duration recorded in slow-tests.json (seconds, refreshed from a full run
// by `node scripts/slow-tests.mjs`); files that failed last time still go first, and files with
// neither figure follow, largest first. See docs/toolchain.md §5.4.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { relative } from 'node:path'

// @jest/test-sequencer is Jest's own default, loaded through jest (a devDependency) rather than
// as a package of its own, as Jest's documentation of testSequencer extends it.
const require = createRequire(import.meta.url)
const jestCore = createRequire(require.resolve('jest/package.json')).resolve('@jest/core')
const Sequencer = createRequire(jestCore)('@jest/test-sequencer').default

/** Recorded durations: repository-relative test file → seconds. */
const recorded = JSON.parse(
  readFileSync(new URL('./slow-tests.json', import.meta.url), 'utf8')
).seconds

export default class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0
    for (const test of tests) {
      const file = relative(test.context.config.rootDir, test.path).split('\\').join('/')
      const seconds = recorded[file]
      test.duration = this.time(test) ?? (seconds === undefined ? undefined : seconds * 1000)
    }
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a)
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1
      if ((a.duration === undefined) !== (b.duration === undefined))
        return a.duration === undefined ? 1 : -1
      if (a.duration !== undefined) return b.duration - a.duration
      return size(b) - size(a)
    })
  }
}
