/**
 * Which paths of a repository are Git LFS files, decided as git decides it (docs/persist-data.md
 * §9.1): the lines of the root `.gitattributes`, patterns matched with gitignore's rules (a
 * pattern without `/` matches the file name at any depth; one with `/` matches the whole path
 * from the root, `*` and `?` never crossing `/`, `**` spanning directories), the last line that
 * sets or unsets `filter` winning. A file is LFS when its `filter` ends up `lfs`.
 */

/**
 * The seed's LFS patterns (docs/persist-data.md §9.2), written to the data branch's
 * `.gitattributes` by an `lfs-files` backup when the branch has none.
 */
export const SEED_LFS_PATTERNS = [
  '*.sqlite3',
  '*.db',
  'data/chroma_db/*',
  '*.parquet',
  '*.pkl',
  '*.bak',
  'data/*.csv'
] as const

/** `.gitattributes` text tracking `patterns` with LFS, as `git lfs track` writes each line (§5). */
export function lfsAttributesText(patterns: readonly string[] = SEED_LFS_PATTERNS): string {
  return patterns.map((p) => `${p} filter=lfs diff=lfs merge=lfs -text\n`).join('')
}

/** One line of a `.gitattributes` file that says something about `filter`. */
interface FilterRule {
  test: (path: string) => boolean
  /** the `filter` value the line sets; `null` when it unsets it */
  filter: string | null
}

/** The `filter` rules of a `.gitattributes` text, in file order. */
export type LfsRules = readonly FilterRule[]

/** Splits a line into its pattern and attribute words; a pattern may be C-quoted. */
function words(line: string): string[] {
  const out: string[] = []
  let rest = line.trim()
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1)
    if (end > 0) {
      out.push(rest.slice(1, end).replace(/\\(.)/g, '$1'))
      rest = rest.slice(end + 1)
    }
  }
  return out.concat(rest.split(/[ \t\r]+/).filter((w) => w !== ''))
}

/** A wildmatch pattern with `WM_PATHNAME` (`*`, `?`, `[…]` stop at `/`; `**` spans) as a regex. */
function globRegex(glob: string): string {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/'
      const next = glob[i + 2]
      i++
      if (atStart && next === '/') {
        re += '(?:.*/)?' // `**/`: zero or more directories
        i++
      } else if (atStart && next === undefined)
        re += '.*' // trailing `/**`: everything inside
      else re += '[^/]*' // any other `**` is a `*`
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\' && i + 1 < glob.length) re += escape(glob[++i] as string)
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) {
        re += '\\['
        continue
      }
      let body = glob.slice(i + 1, end)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      re += `[${negate ? '^/' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`
      i = end
    } else re += escape(c)
  }
  return re
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** The test of one pattern against a path relative to the repository root (gitignore rules). */
function patternTest(pattern: string): ((path: string) => boolean) | null {
  // A trailing `/` matches directories only, and attributes never apply through a directory.
  if (pattern.endsWith('/')) return null
  const anchored = pattern.replace(/^\//, '')
  if (!pattern.includes('/')) {
    const re = new RegExp(`^${globRegex(anchored)}$`)
    return (path) => re.test(path.slice(path.lastIndexOf('/') + 1))
  }
  const re = new RegExp(`^${globRegex(anchored)}$`)
  return (path) => re.test(path)
}

/**
 * The `filter` rules of a root `.gitattributes` text. Comments, blank lines, macro
 * definitions (`[attr]…`) and negative patterns (which git refuses in attribute files) are
 * skipped; so is every line that does not mention `filter`. No I/O.
 */
export function parseLfsRules(text: string): LfsRules {
  const rules: FilterRule[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('[attr]')) continue
    const [pattern, ...attrs] = words(line)
    if (pattern === undefined || pattern.startsWith('!')) continue
    let filter: string | null | undefined
    for (const a of attrs) {
      if (a === '-filter' || a === '!filter') filter = null
      else if (a === 'filter') filter = ''
      else if (a.startsWith('filter=')) filter = a.slice('filter='.length)
    }
    if (filter === undefined) continue
    const test = patternTest(pattern)
    if (test) rules.push({ test, filter })
  }
  return rules
}

/** True when `path` (relative to the repository root, POSIX) is an LFS file under `rules`. */
export function isLfsPath(rules: LfsRules, path: string): boolean {
  let filter: string | null = null
  for (const rule of rules) if (rule.test(path)) filter = rule.filter
  return filter === 'lfs'
}
