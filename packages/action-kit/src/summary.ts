import * as core from '@actions/core'
import { appendFile } from 'node:fs/promises'

/**
 * GitHub's limit on one step's job summary: 1 MiB. A bigger summary is not shown; the step gets
 * an error annotation instead. Source: GitHub docs, "Workflow commands for GitHub Actions" →
 * "Adding a job summary".
 */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024

/** Markdown the action wrote itself, with every user-controlled piece escaped ({@link md}). */
export interface Markdown {
  readonly markdown: string
}

/** A cell of a job-summary table: text or a number, always escaped. */
export type Cell = string | number

/** One part of a job summary: a line of {@link md} text, or a table. */
export type SummaryPart = { text: Markdown } | { table: { header: string[]; rows: Cell[][] } }

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '[': '&#91;',
  ']': '&#93;',
  '!': '&#33;',
  '#': '&#35;',
  '`': '&#96;',
  '|': '&#124;'
}

/**
 * Escapes a user-controlled string for a job summary: HTML-escaped, and the characters that
 * make markdown links, images, headings, code spans and table cells (`[ ] ! # \` |`) written as
 * entities, so the text shows as typed. Line breaks become spaces (a blank line would end the
 * HTML block the toolkit's tables are and start markdown).
 */
export function escapeText(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[&<>"'[\]!#`|]/g, (c) => ENTITIES[c] as string)
}

/**
 * A line of job-summary markdown: the template's literal text is the action's own markup; every
 * `${value}` is escaped with {@link escapeText}, except {@link Markdown} (from `md` or
 * {@link code}), which is inserted as it is.
 */
export function md(strings: TemplateStringsArray, ...values: Array<Cell | Markdown>): Markdown {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += typeof value === 'object' ? value.markdown : escapeText(String(value))
    out += strings[i + 1] ?? ''
  })
  return { markdown: out }
}

/**
 * `text` as a markdown code span (shown literally: no link, image or HTML inside a code span).
 * The fence is one backtick longer than the longest run of backticks in `text`.
 */
export function code(text: string): Markdown {
  const flat = text.replace(/\r?\n|\r/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return { markdown: `${fence}${pad}${flat}${pad}${fence}` }
}

/** Up to `max` values as code spans joined by `, ` ("… and N more"); `—` when there are none. */
export function codeList(values: readonly string[], max = 50): Markdown {
  if (values.length === 0) return { markdown: '—' }
  const shown = values
    .slice(0, max)
    .map((v) => code(v).markdown)
    .join(', ')
  return { markdown: shown + (values.length > max ? ` and ${values.length - max} more` : '') }
}

/** `text` cut to `max` characters with `…` when longer. */
export function truncateText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * `markdown` cut to at most `maxBytes` UTF-8 bytes, at the last line or table-row boundary that
 * fits, with a closing note saying it was cut. Unchanged when it fits.
 */
export function truncateSummary(markdown: string, maxBytes = JOB_SUMMARY_MAX_BYTES): string {
  if (Buffer.byteLength(markdown, 'utf8') <= maxBytes) return markdown
  const note =
    "\n\n**Summary truncated**: it exceeded GitHub's 1 MiB job summary limit; the step log and " +
    'outputs have everything.\n'
  const budget = maxBytes - Buffer.byteLength(note, 'utf8')
  let cut = Buffer.from(markdown, 'utf8').subarray(0, budget).toString('utf8')
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1)
  const row = cut.lastIndexOf('</tr>')
  const line = cut.lastIndexOf('\n')
  if (row > line) cut = `${cut.slice(0, row + '</tr>'.length)}</table>`
  else if (line > 0) cut = cut.slice(0, line)
  return cut + note
}

/**
 * Writes a job summary: a heading, then each part (text, or a table whose cells are all
 * escaped; an empty cell is written `—`, since the toolkit's `addTable` would leave its `<td>`
 * unclosed), cut to {@link JOB_SUMMARY_MAX_BYTES}, appended to the file `GITHUB_STEP_SUMMARY`
 * names at the time of the call (`core.summary.write()` would keep the first path it saw).
 * Writes nothing (and does not fail) when `GITHUB_STEP_SUMMARY` is unset, e.g. run locally.
 */
export async function writeJobSummary(heading: string, parts: SummaryPart[]): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  const s = core.summary.emptyBuffer().addHeading(escapeText(heading), 2)
  for (const part of parts) {
    if ('text' in part) s.addRaw(part.text.markdown, true)
    else
      s.addTable([
        part.table.header.map((h) => ({ data: escapeText(h), header: true })),
        ...part.table.rows.map((r) => r.map((c) => escapeText(String(c)) || '—'))
      ])
  }
  const text = truncateSummary(s.stringify())
  s.emptyBuffer()
  await appendFile(file, text, 'utf8')
}
