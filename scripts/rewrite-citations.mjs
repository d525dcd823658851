#!/usr/bin/env node
// One-off: rewrites citations of the research notes that used to live outside the repository
// into citations of their successors under docs/, across source comments and docs, so that
// `npm run check-citations` passes. The docs keep the old section numbers, so a `§N.N` stays
// as it is; a section the new file has no heading for is dropped (and reported).
//
//   node scripts/rewrite-citations.mjs            rewrite in place, list the files changed
//   node scripts/rewrite-citations.mjs --dry-run  only list what would change
//
// Run once after the branches that still add old citations are merged; then keep or delete.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, headingNumbers, readText, scannedFiles } from './citations.mjs'

const DRY_RUN = process.argv.includes('--dry-run')

/**
 * This script and the checker name the old files on purpose; docs/ is new and already cites
 * its siblings by their new names (a bare sibling name there is a relative link).
 */
const SKIP = new Set([
  'scripts/rewrite-citations.mjs',
  'scripts/citations.mjs',
  'scripts/check-citations.mjs'
])

/** Not preceded by a path character, so `reference/x.md` is not also matched as bare `x.md`. */
const B = String.raw`(?<![\w./-])`

/**
 * Old citation → new text, in order. `$1` is the number after "system" / "principle" /
 * "item", which architecture.md gives its own section (§2.N systems, §4.N principles, §8.N
 * style rules).
 */
const RULES = [
  [new RegExp(`${B}DESIGN\\.md,? system (\\d+)`, 'g'), 'docs/architecture.md §2.$1'],
  [new RegExp(`${B}DESIGN\\.md,? principle (\\d+)`, 'g'), 'docs/architecture.md §4.$1'],
  [new RegExp(`${B}STYLE\\.md,? items? (\\d+)`, 'g'), 'docs/architecture.md §8.$1'],
  [new RegExp(`${B}(?:reference/)?github-api\\.md`, 'g'), 'docs/github-behaviour.md'],
  [new RegExp(`${B}(?:reference/)?gh-store-format\\.md`, 'g'), 'docs/gh-store-format.md'],
  [
    new RegExp(`${B}(?:reference/)?peers-and-platform-limits\\.md`, 'g'),
    'docs/peers-and-limits.md'
  ],
  [new RegExp(`${B}(?:reference/)?actions-toolchain\\.md`, 'g'), 'docs/toolchain.md'],
  [new RegExp(`${B}(?:DESIGN|STYLE)\\.md`, 'g'), 'docs/architecture.md'],
  // Files of other repositories, named by path: give them as URLs.
  [
    /git-lfs `docs\/api\/batch\.md`, `docs\/api\/basic-transfers\.md`/g,
    'git-lfs https://github.com/git-lfs/git-lfs/blob/HEAD/docs/api/batch.md and ' +
      'https://github.com/git-lfs/git-lfs/blob/HEAD/docs/api/basic-transfers.md'
  ],
  [
    /moto's `IMPLEMENTATION_COVERAGE\.md`/g,
    "moto's implementation coverage list https://github.com/getmoto/moto/blob/HEAD/IMPLEMENTATION_COVERAGE.md"
  ]
]

/** New doc path → its section numbers, for dropping sections that no longer exist. */
const NEW_DOCS = [
  'docs/github-behaviour.md',
  'docs/gh-store-format.md',
  'docs/peers-and-limits.md',
  'docs/toolchain.md',
  'docs/architecture.md'
]

/** `docs/x.md` followed directly by section references (`§1.1, §1.2`, `§2.2–2.4`). */
const CHAIN = /(docs\/[\w-]+\.md`?)((?:,?\s*§\d+(?:\.\d+)*(?:\s*[–-]\s*§?\d+(?:\.\d+)*)?)+)/g

const dropped = []

/** Removes section references the new doc has no heading for. */
function keepExistingSections(text, file) {
  return text.replace(CHAIN, (all, doc, chain) => {
    const path = doc.replace(/`$/, '')
    if (!NEW_DOCS.includes(path)) return all
    const headings = headingNumbers(path)
    const kept = chain.replace(
      /(,?\s*)§(\d+(?:\.\d+)*)(?:(\s*[–-]\s*§?)(\d+(?:\.\d+)*))?/g,
      (tok, sep, a, dash, b) => {
        if (headings.has(a) && (!b || headings.has(b))) return tok
        dropped.push(`${file}: ${path} §${a}${b ? `–${b}` : ''}`)
        return ''
      }
    )
    return doc + kept
  })
}

/** The width Prettier formats code to; it does not re-wrap comments, so this script does. */
const MAX_LINE_CHARS = 100

/**
 * Re-wraps comment lines (`// …`, ` * …`, a one-line `/** … *\/`) that the rewrite made longer
 * than `MAX_LINE_CHARS`: the overflow moves to the start of the next line of the same comment
 * paragraph (or onto a new line), so a paragraph stays a paragraph. Lines the rewrite did not
 * touch are left alone.
 */
function wrapLongComments(before, after) {
  const old = new Set(before.split('\n'))
  const lines = []
  for (const line of after.split('\n')) {
    const oneLine = /^(\s*)\/\*\* (.*) \*\/$/.exec(line)
    if (oneLine && !old.has(line) && line.length > MAX_LINE_CHARS) {
      const [, indent, text] = oneLine
      lines.push(`${indent}/**`, `${indent} * ${text}`, `${indent} */`)
    } else {
      lines.push(line)
    }
  }
  const leaderOf = (line) => /^(\s*(?:\/\/|\*(?!\/)|#)\s?)\S/.exec(line)?.[1]
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const leader = leaderOf(line)
    if (old.has(line) || !leader || line.length <= MAX_LINE_CHARS) continue
    const cut = line.lastIndexOf(' ', MAX_LINE_CHARS)
    if (cut <= leader.length) continue
    const overflow = line.slice(cut + 1)
    lines[i] = line.slice(0, cut)
    const next = lines[i + 1]
    // Continue the paragraph on the next line when it is more of the same comment's text.
    if (next !== undefined && leaderOf(next) === leader && !/^\s*[*/#]*\s*@/.test(next)) {
      lines[i + 1] = `${leader}${overflow} ${next.slice(leader.length)}`
      old.delete(lines[i + 1])
    } else {
      lines.splice(i + 1, 0, `${leader}${overflow}`)
    }
  }
  return lines.join('\n')
}

let changedFiles = 0
let replacements = 0
for (const file of scannedFiles()) {
  if (SKIP.has(file) || file.startsWith('docs/')) continue
  const before = readText(file)
  let after = before
  for (const [re, to] of RULES) {
    after = after.replace(re, (...m) => {
      replacements++
      return to.replace('$1', m[1])
    })
  }
  if (after === before) continue
  after = wrapLongComments(before, keepExistingSections(after, file))
  changedFiles++
  console.log(`${DRY_RUN ? 'would rewrite' : 'rewrote'} ${file}`)
  if (!DRY_RUN) writeFileSync(join(ROOT, file), after)
}
for (const d of dropped) console.warn(`dropped a section the new doc lacks: ${d}`)
console.log(
  `rewrite-citations: ${replacements} citation(s) in ${changedFiles} file(s)` +
    (DRY_RUN ? ' (dry run, nothing written)' : '')
)
