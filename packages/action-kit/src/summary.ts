import * as core from '@actions/core'

/** A cell of a job-summary table: plain text (escaped by the toolkit) or a header cell. */
export type Cell = string | number

/**
 * Writes a job summary: a heading, optional lines of text, and one table per entry.
 * Writes nothing (and does not fail) when `GITHUB_STEP_SUMMARY` is unset, e.g. run locally.
 */
export async function writeJobSummary(
  heading: string,
  parts: Array<{ text: string } | { table: { header: string[]; rows: Cell[][] } }>
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const s = core.summary.addHeading(heading, 2)
  for (const part of parts) {
    if ('text' in part) s.addRaw(part.text, true)
    else
      s.addTable([
        part.table.header.map((h) => ({ data: h, header: true })),
        ...part.table.rows.map((r) => r.map((c) => String(c)))
      ])
  }
  await s.write()
}
