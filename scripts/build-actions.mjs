#!/usr/bin/env node
// Bundles every action (actions/<name>/src/index.ts) with @vercel/ncc into dist/<name>/index.js
// (ESM, because each action package is "type": "module"; ncc also writes dist/<name>/package.json).
// Usage: node scripts/build-actions.mjs [name …]   (default: every folder under actions/)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js', { paths: [root] })
const names = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(join(root, 'actions')).filter((n) =>
      existsSync(join(root, 'actions', n, 'action.yml'))
    )

for (const name of names) {
  const out = join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  const r = spawnSync(
    process.execPath,
    [
      ncc,
      'build',
      join('actions', name, 'src', 'index.ts'),
      '-o',
      join('dist', name),
      '--license',
      'licenses.txt',
      '-q'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  if (r.status !== 0) {
    console.error(`build: bundling action "${name}" failed`)
    process.exit(r.status ?? 1)
  }
  console.log(`build: dist/${name}/index.js`)
}
