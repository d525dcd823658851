/** One entry of a ref's history: the target from `time` (ms since epoch, emulator clock) on. */
export interface RefHistoryEntry {
  time: number
  sha: string | null
}

/**
 * The in-memory history of one repository's refs: every move the store made or observed, so
 * stale-read mode can answer a ref as it was (docs/github-behaviour.md §8 item 6). History
 * starts when the emulator first read a ref.
 */
export class RefHistory {
  private readonly entries = new Map<string, RefHistoryEntry[]>()

  /** Records that `ref` points at `sha` (`null`: deleted) from `time` on; repeats are dropped. */
  append(ref: string, sha: string | null, time: number): void {
    const list = this.entries.get(ref) ?? []
    if (list.length > 0 && list[list.length - 1].sha === sha) return
    if (list.length === 0 && sha === null) return
    list.push({ time, sha })
    this.entries.set(ref, list)
  }

  /** Every ref name with a history. */
  names(): IterableIterator<string> {
    return this.entries.keys()
  }

  /** The history of `ref` (full name), oldest first, as a copy. */
  list(ref: string): RefHistoryEntry[] {
    return [...(this.entries.get(ref) ?? [])]
  }

  /**
   * The target `ref` had at `time` (ms since epoch): the last entry at or before it, else the
   * oldest known one.
   */
  at(ref: string, time: number): string | null {
    const history = this.entries.get(ref) ?? []
    let found: RefHistoryEntry | undefined
    for (const entry of history) if (entry.time <= time) found = entry
    return (found ?? history[0])?.sha ?? null
  }
}
