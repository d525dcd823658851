/**
 * The log lines of a sweep's progress ({@link SweepProgress}), shared by the process-updates
 * action and `hubstore process-updates`, so both say the same thing.
 */
import type { SweepProgress } from './process.js'

/**
 * `text` on one line: CR, LF and the Unicode line and paragraph separators written as `\n`, so
 * no user-controlled part of a log line (an object id, a message quoting a body) starts a line
 * of its own, where the Actions runner would read it as a `::command::`
 * (docs/github-behaviour.md §11.5).
 */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n')
}

/** A duration in ms as `45 s`, `3 min 20 s` or `2 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`
}

/**
 * One log line for a sweep's progress: `Sweeping N open object(s).` at the start, then per object
 * `[done/total] #<issue> <id>: A applied, R rejected` (or `failed: <code>: <message>`), with the
 * totals so far and the estimated time left. Single line ({@link oneLine}).
 */
export function sweepProgressLine(p: SweepProgress): string {
  const r = p.result
  if (!r) return `Sweeping ${p.total} open object(s).`
  const what = r.error
    ? `failed: ${r.error.code}: ${r.error.message}`
    : `${r.applied.length} applied, ${r.rejected.length} rejected`
  const left = p.done < p.total ? `; about ${formatDuration(p.remainingMs ?? 0)} left` : ''
  return oneLine(
    `[${p.done}/${p.total}] #${r.issueNumber} ${r.objectId || '(no id)'}: ${what} ` +
      `(so far ${p.applied} applied, ${p.rejected} rejected, ${p.failed} failed, ` +
      `${formatDuration(p.elapsedMs)}${left})`
  )
}
