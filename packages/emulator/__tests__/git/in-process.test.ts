/**
 * What the git store does in-process instead of starting `git` (docs/toolchain.md §5.5) gives
 * the answers git gives: a new repository is the layout `git init --bare` writes, the ancestry
 * walk answers as `git merge-base --is-ancestor`, and a ref created through the lock-file
 * protocol obeys git's directory/file rule, packed refs included.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { Clock } from '../../src/clock.js'
import { GitStaleHead, GitStore } from '../../src/git/store.js'
import { T0 } from '../support.js'
import { git } from './support.js'

let store: GitStore
const scratch = mkdtempSync(join(tmpdir(), 'hubstore-init-ref-'))

beforeAll(() => {
  store = new GitStore({ clock: new Clock(() => T0) })
})
afterAll(async () => {
  await store.close()
  rmSync(scratch, { recursive: true, force: true })
})

/** Every path under `dir` (relative, sorted) with its mode and, for files, its bytes. */
function layout(dir: string): Array<[string, number, string]> {
  const out: Array<[string, number, string]> = []
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const st = statSync(join(dir, path))
      if (st.isDirectory()) {
        out.push([path, st.mode, ''])
        walk(path)
      } else out.push([path, st.mode, readFileSync(join(dir, path), 'utf8')])
    }
  }
  walk('')
  return out
}

describe('GitStore in-process paths', () => {
  test('init: each new repository has the files, modes and bytes `git init --bare` writes', async () => {
    const reference = join(scratch, 'r.git')
    git(['init', '--bare', '--quiet', '--initial-branch=trunk', reference])
    await store.init('octo', 'first', { defaultBranch: 'trunk', autoInit: false })
    await store.init('octo', 'second', { defaultBranch: 'trunk', autoInit: false })
    const expected = layout(reference)
    expect(expected.map(([path]) => path)).toEqual(
      expect.arrayContaining(['HEAD', 'config', 'objects', 'refs/heads', 'refs/tags'])
    )
    expect(layout(store.repoPath('octo', 'first'))).toEqual(expected)
    expect(layout(store.repoPath('octo', 'second'))).toEqual(expected)
    await store.init('octo', 'other', { defaultBranch: 'develop', autoInit: false })
    expect(git(['--git-dir', store.repoPath('octo', 'other'), 'symbolic-ref', 'HEAD']).trim()).toBe(
      'refs/heads/develop'
    )
  })

  test('isAncestor and log: the parents walk answers as `git merge-base --is-ancestor` and `git rev-list` do', async () => {
    await store.init('octo', 'graph', { defaultBranch: 'main', autoInit: false })
    const tree = await store.writeTree('octo', 'graph', [])
    const commit = (parents: string[], message: string) =>
      store.writeCommit('octo', 'graph', { tree, parents, message })
    // a ← b ← c ← d on one line, e beside b, m merging d and e, f a root of its own
    const a = await commit([], 'a')
    const b = await commit([a], 'b')
    const c = await commit([b], 'c')
    const d = await commit([c], 'd')
    const e = await commit([a], 'e')
    const m = await commit([d, e], 'm')
    const f = await commit([], 'f')
    const all = { a, b, c, d, e, m, f }
    const dir = store.repoPath('octo', 'graph')
    const answers: string[] = []
    const expected: string[] = []
    for (const [x, xs] of Object.entries(all))
      for (const [y, ys] of Object.entries(all)) {
        answers.push(`${x}≤${y} ${await store.isAncestor('octo', 'graph', xs, ys)}`)
        let gitSays = true
        try {
          git(['--git-dir', dir, 'merge-base', '--is-ancestor', xs, ys])
        } catch {
          gitSays = false
        }
        expected.push(`${x}≤${y} ${gitSays}`)
      }
    expect(answers).toEqual(expected)
    expect(answers).toContain('a≤m true')
    expect(answers).toContain('e≤d false')
    // log: the linear chain is walked in-process, the merge goes to git; both as rev-list lists
    for (const [tip, max] of [
      [d, 10_000],
      [d, 2],
      [m, 10_000],
      [f, 10_000]
    ] as const)
      expect(await store.log('octo', 'graph', tip, { max })).toEqual(
        git(['--git-dir', dir, 'rev-list', `--max-count=${max}`, tip])
          .trim()
          .split('\n')
      )
    expect(await store.log('octo', 'graph', d)).toEqual([d, c, b, a])
    // an annotated tag is peeled by git: the walk leaves it to git
    const tag = git(
      ['--git-dir', dir, 'mktag'],
      `object ${b}\ntype commit\ntag v1\ntagger T <t@example.com> 0 +0000\n\nv1\n`
    ).trim()
    expect(await store.isAncestor('octo', 'graph', tag, d)).toBe(true)
    expect(await store.isAncestor('octo', 'graph', tag, e)).toBe(false)
  })

  test('a new ref: created in-process, refused as git refuses next to a packed or loose ref', async () => {
    await store.init('octo', 'refs', { defaultBranch: 'main', autoInit: true })
    const dir = store.repoPath('octo', 'refs')
    const head = (await store.resolveRef('octo', 'refs', 'main'))!
    await store.updateRefs('octo', 'refs', [{ ref: 'refs/heads/a/b', expected: null, sha: head }])
    await store.updateRefs('octo', 'refs', [{ ref: 'refs/heads/x', expected: null, sha: head }])
    await store.updateRefs('octo', 'refs', [
      { ref: 'refs/hubstore/leases/issues/7', expected: null, sha: head }
    ])
    expect(readFileSync(join(dir, 'refs/hubstore/leases/issues/7'), 'utf8')).toBe(`${head}\n`)
    const list = () =>
      git(['--git-dir', dir, 'for-each-ref', '--format=%(refname) %(objectname)'])
        .trim()
        .split('\n')
    expect(list()).toEqual([
      `refs/heads/a/b ${head}`,
      `refs/heads/main ${head}`,
      `refs/heads/x ${head}`,
      `refs/hubstore/leases/issues/7 ${head}`
    ])
    // loose refs in the way, then the same refs packed (git's pack-refs), then a name git must judge
    for (const packed of [false, true]) {
      // the refs keep their targets, so the store's cached list stays right
      if (packed) git(['--git-dir', dir, 'pack-refs', '--all'])
      for (const ref of ['refs/heads/a', 'refs/heads/x/y', 'refs/heads/main']) {
        const refused = await store
          .updateRefs('octo', 'refs', [{ ref, expected: null, sha: head }])
          .catch((error: unknown) => error)
        expect([packed, ref, refused instanceof GitStaleHead]).toEqual([packed, ref, true])
      }
      expect(list()).toHaveLength(4)
    }
    const refused = await store
      .updateRefs('octo', 'refs', [{ ref: 'refs/heads/bad..name', expected: null, sha: head }])
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(GitStaleHead)
    expect(list()).toHaveLength(4)
  })

  test('objects: a loose object is read from its file, a packed one through git cat-file, both as git has them', async () => {
    const dataDir = join(scratch, 'data')
    const writer = new GitStore({ clock: new Clock(() => T0), dataDir })
    await writer.init('octo', 'objs', { defaultBranch: 'main', autoInit: true })
    const head = (await writer.resolveRef('octo', 'objs', 'main'))!
    const blob = (await writer.readPath('octo', 'objs', head, 'README.md'))!.sha
    await writer.close()
    const dir = join(dataDir, 'git', 'repos', 'octo', 'objs.git')
    const read = async (reader: GitStore) => {
      const out: Array<[string, string]> = []
      for (const sha of [head, blob]) {
        const obj = await reader.readObject('octo', 'objs', sha)
        out.push([obj!.type, obj!.data.toString('base64')])
      }
      return out
    }
    const expected = [head, blob].map((sha) => [
      git(['--git-dir', dir, 'cat-file', '-t', sha]).trim(),
      execFileSync('git', [
        '--git-dir',
        dir,
        'cat-file',
        git(['--git-dir', dir, 'cat-file', '-t', sha]).trim(),
        sha
      ]).toString('base64')
    ])
    const loose = new GitStore({ clock: new Clock(() => T0), dataDir })
    expect(await read(loose)).toEqual(expected)
    await loose.close()
    git(['--git-dir', dir, 'repack', '-a', '-d', '-q'])
    git(['--git-dir', dir, 'prune-packed'])
    const looseFile = (sha: string) => join(dir, 'objects', sha.slice(0, 2), sha.slice(2))
    expect([head, blob].filter((sha) => existsSync(looseFile(sha)))).toEqual([])
    const packed = new GitStore({ clock: new Clock(() => T0), dataDir })
    expect(await read(packed)).toEqual(expected)
    await packed.close()
  })
})
