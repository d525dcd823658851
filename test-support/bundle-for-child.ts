/**
 * Bundles a TypeScript entry (a test's child-process script and the workspace source it imports)
 * into one ESM file that plain `node` runs, for tests that start many such children at once. A
 * child started with `node --import tsx` compiles and resolves every module of core through
 * tsx's loader hooks: about half a second of CPU each, which 16 children starting together on
 * two cores turn into seconds of wall time. The bundle is built once per test file (esbuild,
 * tens of milliseconds) and each child then starts in about 0.1 s, running the same source.
 *
 * Third-party packages stay external and resolve as the source's own imports do: the bundle is
 * written under the entry's package, in `node_modules/.cache/hubstore-tests/` (never committed).
 * esbuild is the compiler tsx (a devDependency) depends on and runs; it is loaded through tsx's
 * own dependency, so no package is added for it (docs/toolchain.md §5.4).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'

interface EsbuildSync {
  buildSync(options: Record<string, unknown>): { errors: unknown[] }
}

/** The nearest folder above `file` that holds a package.json. */
function packageRoot(file: string): string {
  let dir = dirname(file)
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error(`bundleForChild: no package.json above ${file}`)
    dir = up
  }
  return dir
}

/**
 * Bundles `entry` (an absolute path to a .ts file) and answers the absolute path of the bundle,
 * `<package>/node_modules/.cache/hubstore-tests/<entry name>-<pid>.mjs`. Synchronous (a few tens
 * of ms). @throws Error when esbuild reports an error (its message names file and line).
 */
export function bundleForChild(entry: string): string {
  const require = createRequire(import.meta.url)
  const fromTsx = createRequire(require.resolve('tsx/package.json'))
  const esbuild = fromTsx('esbuild') as EsbuildSync
  const outDir = join(packageRoot(entry), 'node_modules', '.cache', 'hubstore-tests')
  mkdirSync(outDir, { recursive: true })
  const outfile = join(outDir, `${basename(entry, '.ts')}-${process.pid}.mjs`)
  esbuild.buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'error'
  })
  return outfile
}
