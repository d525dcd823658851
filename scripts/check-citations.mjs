#!/usr/bin/env node
// Fails (exit 1, one `file:line` per problem) when a comment or doc cites a Markdown file that
// is not in the repository, or a section (`§N.N`) that the cited file has no heading for.
// Scans packages/, actions/, bench/, scripts/, test-support/, docs/, README.md and .github/.
// Paths inside URLs cite other repositories and are not checked.
import {
  citationsIn,
  headingNumbers,
  readText,
  resolveCitation,
  scannedFiles
} from './citations.mjs'

const problems = []
let checked = 0
for (const file of scannedFiles()) {
  for (const c of citationsIn(readText(file), file)) {
    checked++
    const target = resolveCitation(file, c.path)
    if (!target) {
      problems.push(`${file}:${c.line}: cites ${c.path}, which is not in the repository`)
      continue
    }
    if (!target.endsWith('.md')) continue
    const headings = headingNumbers(target)
    for (const s of c.sections) {
      if (!headings.has(s)) {
        problems.push(`${file}:${c.line}: cites ${c.path} §${s}, which has no heading ${s}`)
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'))
  console.error(`check-citations: ${problems.length} unresolvable citation(s) of ${checked}`)
  process.exit(1)
}
console.log(`check-citations: all ${checked} citations resolve`)
