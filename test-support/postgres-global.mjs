// Jest `globalSetup` and `globalTeardown` (jest.config.js): one PostgreSQL server for the whole
// run instead of an `initdb` and a server per test file. It starts only when at least two of the
// run's test files use PostgreSQL (`useDatabases(` or `sharedPostgres(` in their source), so a
// run of one file pays nothing. Its URL reaches the workers in HUBSTORE_TEST_POSTGRES_URL (set
// before Jest starts them); each file still gets fresh databases of its own (`sharedPostgres` in
// test-support/postgres.ts). Jest loads this file outside its TypeScript transform, so the
// server code (TypeScript) is loaded through tsx's `tsImport`. docs/toolchain.md §5.5.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tsImport } from 'tsx/esm/api'

/** The test files under `packages/*` and `actions/*` that use PostgreSQL. */
function filesUsingPostgres(rootDir) {
  const out = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (
        e.name.endsWith('.test.ts') &&
        /\b(useDatabases|sharedPostgres)\(/.test(readFileSync(path, 'utf8'))
      )
        out.push(path)
    }
  }
  for (const group of ['packages', 'actions'])
    for (const pkg of readdirSync(join(rootDir, group), { withFileTypes: true })) {
      // a file beside the packages (actions/tsconfig.json) has no __tests__ below it
      if (!pkg.isDirectory()) continue
      const tests = join(rootDir, group, pkg.name, '__tests__')
      if (statSync(tests, { throwIfNoEntry: false })?.isDirectory()) walk(tests)
    }
  return out
}

/** `globalSetup`: `config` is Jest's global config (`rootDir`, `testPathPatterns`). */
export default async function globalSetup(config) {
  const selected = config.testPathPatterns.toExecutor({ rootDir: config.rootDir })
  const files = filesUsingPostgres(config.rootDir).filter((f) => selected.isMatch(f))
  if (files.length < 2) return
  const { startPostgres, SHARED_POSTGRES_ENV } = await tsImport('./postgres.ts', import.meta.url)
  globalThis.hubstoreTestPostgres = await startPostgres({ maxConnections: 300 })
  process.env[SHARED_POSTGRES_ENV] = globalThis.hubstoreTestPostgres.url
}

/** `globalTeardown`: stops the run's server, if `globalSetup` started one. */
export async function teardown() {
  await globalThis.hubstoreTestPostgres?.stop()
  delete globalThis.hubstoreTestPostgres
}
