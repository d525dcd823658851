#!/usr/bin/env node
// Prints the CHANGELOG.md section of one version (`node scripts/release-notes.mjs v0.2.0`), for
// the release workflow's notes. Fails when CHANGELOG.md has no `## [0.2.0]` section.
import { readFileSync } from 'node:fs'

const tag = process.argv[2] ?? ''
const version = tag.replace(/^v/, '')
const text = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8')
const lines = text.split('\n')
const start = lines.findIndex((l) => l.startsWith(`## [${version}]`))
if (!version || start < 0) {
  console.error(
    `release-notes: CHANGELOG.md has no "## [${version}]" section; add one before tagging.`
  )
  process.exit(1)
}
const end = lines.findIndex((l, i) => i > start && l.startsWith('## '))
console.log(
  lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
)
