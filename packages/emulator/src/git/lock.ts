import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Async mutexes keyed by name (one per repository): `run(key, fn)` runs `fn` after every
 * earlier `run` with the same key has settled, in arrival order (FIFO). Re-entrant: a `fn`
 * that calls `run` with a key it already holds runs at once instead of deadlocking
 * (tracked with `AsyncLocalStorage`, so it follows the async call chain, not the instance).
 * docs/github-behaviour.md §8 item 3 (one lock per repository around check-and-move of refs).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>()

  /** Runs `fn` holding the lock `key`; resolves or rejects with `fn`'s outcome. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const holding = this.held.getStore()
    if (holding?.has(key)) return fn()
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const current = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => current)
    this.tails.set(key, tail)
    await previous
    try {
      const next = new Set(holding ?? [])
      next.add(key)
      return await this.held.run(next, fn)
    } finally {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }

  /** Whether the current async context holds `key`. */
  holds(key: string): boolean {
    return this.held.getStore()?.has(key) ?? false
  }
}
