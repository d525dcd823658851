// Finding citations of Markdown files in the repository's sources and docs, and the section
// numbers the cited files have, for scripts/check-citations.mjs (fails on a citation a clone
// cannot resolve).
//
// A citation is a path ending in `.md` (a docs/ file, a package README), optionally followed by
// section numbers in the same sentence: `§3.4`, `§2.2–2.4`, `§1.1, §1.2`, `§8 items 5 and 17`
// (item numbers are not checked). In JavaScript and TypeScript files comments are read, and a
// string only when it names a section (a test title; an API path or a file name in a string is
// not a citation); in Markdown, YAML and shell files all text is. Paths inside URLs cite other
// repositories and are skipped.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'

/** The repository root (this file lives in `scripts/`). */
export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..')

/** What is scanned, relative to the root: folders walked recursively, and single files. */
export const SCAN_ROOTS = [
  'packages',
  'actions',
  'bench',
  'scripts',
  'test-support',
  'docs',
  'README.md',
  '.github'
]

/** Folders never walked: installed packages, build output, generated test results. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.test-results', '.tools', '.git'])

/** Text files that can hold a citation (source comments, docs, workflows). */
const TEXT_EXTENSIONS = /\.(?:[cm]?[jt]sx?|md|ya?ml|sh|json)$/

/** A path ending in `.md`: letters, digits, `_ . -`, separated by `/`. */
const MD_PATH = /(?<![\w./-])((?:[\w.-]+\/)*[\w-][\w.-]*\.md)(?![\w/-])/g

/** One section reference: `§3.4`, or a range `§2.2–2.4` / `§1.1–§1.3`. */
const SECTION = /§\s?(\d+(?:\.\d+)*)(?:\s*[–-]\s*§?\s?(\d+(?:\.\d+)*))?/g

/** How far after the cited file its section numbers may appear (characters). */
const SCOPE_MAX_CHARS = 300

/** Every text file under `SCAN_ROOTS`, as paths relative to the root, sorted. */
export function scannedFiles() {
  const out = []
  const walk = (rel) => {
    const abs = join(ROOT, rel)
    if (!existsSync(abs)) return
    const stat = statSync(abs)
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (SKIP_DIRS.has(name)) continue
        walk(rel === '' ? name : `${rel}/${name}`)
      }
    } else if (TEXT_EXTENSIONS.test(rel) && !rel.endsWith('pnpm-lock.yaml')) {
      out.push(rel)
    }
  }
  for (const r of SCAN_ROOTS) walk(r)
  return out
}

/** Characters after which a `/` starts a regular expression literal, not a division. */
const REGEX_PRECEDES = new Set([...'(,=:[!&|?{};+-*%<>~^'])

/**
 * The comments of JavaScript/TypeScript source, everything else blanked to spaces (line breaks
 * kept, so offsets and line numbers still hold). A small lexer: strings, template literals
 * and regular expression literals are skipped so that `//` inside them is not a comment.
 */
export function commentsOnly(code) {
  const out = [...code].map((ch) => (ch === '\n' ? '\n' : ' '))
  let i = 0
  let last = ''
  const n = code.length
  while (i < n) {
    const ch = code[i]
    const next = code[i + 1]
    if (ch === '/' && next === '/') {
      while (i < n && code[i] !== '\n') out[i] = code[i++]
    } else if (ch === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2)
      const stop = end === -1 ? n : end + 2
      for (; i < stop; i++) out[i] = code[i]
    } else if (ch === "'" || ch === '"' || ch === '`') {
      i++
      while (i < n && code[i] !== ch && (ch === '`' || code[i] !== '\n')) {
        i += code[i] === '\\' ? 2 : 1
      }
      i++
      last = ch
    } else if (ch === '/' && (last === '' || REGEX_PRECEDES.has(last))) {
      i++
      let inClass = false
      while (i < n && code[i] !== '\n' && (inClass || code[i] !== '/')) {
        if (code[i] === '[') inClass = true
        else if (code[i] === ']') inClass = false
        i += code[i] === '\\' ? 2 : 1
      }
      i++
      last = '/'
    } else {
      if (!/\s/.test(ch)) last = /[\w$]/.test(ch) ? 'a' : ch
      i++
    }
  }
  return out.join('')
}

/** Source files whose comments (not strings) are scanned. */
const CODE_FILE = /\.[cm]?[jt]sx?$/

/** `text` with every `http(s)://…` URL blanked out (same length, so offsets still hold). */
function withoutUrls(text) {
  return text.replace(/\bhttps?:\/\/[^\s)>\]`'"]+/g, (url) => ' '.repeat(url.length))
}

/**
 * The text after a citation that belongs to it: up to the end of its sentence, the next
 * citation, a blank line or `SCOPE_MAX_CHARS`, with comment leaders (`//`, ` * `, `#`) at
 * line starts replaced by spaces so a sentence wrapped over comment lines reads as one.
 */
function scopeAfter(text, start, nextCitation) {
  const raw = text.slice(start, Math.min(text.length, start + SCOPE_MAX_CHARS, nextCitation))
  // A sentence ends at `.`, `!`, `?` or `;` followed by a space or the end; a table cell
  // (`|`), a blank (comment) line and the end of a block comment end it too.
  const ends = [/[.!?;](?=\s|$)|\|/, /\n[ \t]*(?:\/\/+|\*|#+)?[ \t]*(?=\n)/, /\*\//]
  let cut = raw.length
  for (const re of ends) {
    const m = re.exec(raw)
    if (m && m.index < cut) cut = m.index
  }
  return raw.slice(0, cut).replace(/\n[ \t]*(?:\/\/+|\*|#+)?/g, (m) => ' '.repeat(m.length))
}

/**
 * Citations of `.md` files in one file's text (`fileName` decides whether only comments count).
 * @returns `{ line, path, sections, index, length }` per citation: `line` 1-based, `path` as
 *   written, `sections` the cited section numbers (`['3.4', '8']`), `index`/`length` the
 *   position of the path in `text`.
 */
export function citationsIn(text, fileName = '') {
  if (!CODE_FILE.test(fileName)) return citationsInScan(text, withoutUrls(text))
  // Code: every citation in a comment, and a citation in a string (a test title) only when it
  // names a section, which an API path or a file name in test data never does.
  const inComments = citationsInScan(text, withoutUrls(commentsOnly(text)))
  const seen = new Set(inComments.map((c) => c.index))
  const inStrings = citationsInScan(text, withoutUrls(text)).filter(
    (c) => !seen.has(c.index) && c.sections.length > 0
  )
  return [...inComments, ...inStrings].sort((a, b) => a.index - b.index)
}

function citationsInScan(text, scan) {
  const matches = [...scan.matchAll(MD_PATH)]
  return matches.map((m, i) => {
    const after = m.index + m[0].length
    const next = i + 1 < matches.length ? matches[i + 1].index : text.length
    const scope = scopeAfter(scan, after, next)
    const sections = []
    for (const s of scope.matchAll(SECTION)) {
      sections.push(s[1])
      if (s[2]) sections.push(s[2])
    }
    const line = text.slice(0, m.index).split('\n').length
    return { line, path: m[1], sections, index: m.index, length: m[1].length }
  })
}

/**
 * The repository file a citation in `fromFile` names, or `undefined`: the path as written from
 * the root, else from the citing file's folder or any folder above it (so `README.md` in
 * `packages/emulator/src/index.ts` is `packages/emulator/README.md`).
 */
export function resolveCitation(fromFile, path) {
  const candidates = [path]
  let dir = dirname(fromFile)
  while (dir !== '.' && dir !== '') {
    candidates.push(`${dir}/${path}`)
    dir = dirname(dir)
  }
  for (const c of candidates) {
    const abs = join(ROOT, c)
    const rel = relative(ROOT, abs).split(sep).join('/')
    if (!rel.startsWith('../') && existsSync(abs) && statSync(abs).isFile()) return rel
  }
  return undefined
}

const headingCache = new Map()

/**
 * Section numbers of a Markdown file's headings: `## 3. Issues` → `3`, `### 3.4 Labels` →
 * `3.4`, `### §2.2 …` → `2.2`. Fenced code blocks are skipped.
 */
export function headingNumbers(repoPath) {
  const cached = headingCache.get(repoPath)
  if (cached) return cached
  const numbers = new Set()
  let fenced = false
  for (const line of readFileSync(join(ROOT, repoPath), 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    if (fenced) continue
    const h = /^#{1,6}\s+(?:§\s?)?(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(line)
    if (h) numbers.add(h[1])
  }
  headingCache.set(repoPath, numbers)
  return numbers
}

/** Reads a scanned file as text. */
export function readText(repoPath) {
  return readFileSync(join(ROOT, repoPath), 'utf8')
}
