/**
 * The branch store's commit messages: how the files of a commit are named in a message or an
 * error, and the change trailer (`Hubstore-Change: <id>`) by which an ambiguous write's commit
 * is recognised when it is read back (docs/architecture.md §4.3).
 */
import { CHANGE_TRAILER } from './constants.js'

/** `a.json`, `a.json, b.json`, `a.json and 4 more file(s)` */
export function describe(paths: readonly string[]): string {
  if (paths.length === 0) return 'the branch head'
  if (paths.length <= 2) return paths.join(', ')
  return `${paths[0]} and ${paths.length - 1} more file(s)`
}

/** Appends the change trailer to a commit message. */
export function withTrailer(message: string, changeId: string): string {
  return `${message.trimEnd()}\n\n${CHANGE_TRAILER}: ${changeId}`
}

/** True when the commit message carries this change's trailer. */
export function hasTrailer(message: string, changeId: string): boolean {
  return message.includes(`${CHANGE_TRAILER}: ${changeId}`)
}
