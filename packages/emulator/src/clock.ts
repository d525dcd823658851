/**
 * The emulator's clock: the injected `now()` plus an offset that the admin API can advance, so
 * tests move time without sleeping (docs/architecture.md §8.6). Timestamps are whole seconds, as
 * GitHub's.
 */
export class Clock {
  private offsetMs = 0

  constructor(private readonly source: () => Date = () => new Date()) {}

  /** The current emulated time. */
  now(): Date {
    return new Date(this.source().getTime() + this.offsetMs)
  }

  /** Moves emulated time forward by `ms` milliseconds (negative moves it back). */
  advance(ms: number): void {
    this.offsetMs += ms
  }

  /** GitHub-style ISO timestamp without milliseconds, e.g. `2025-01-01T00:00:00Z`. */
  timestamp(): string {
    return isoSeconds(this.now())
  }

  /** Current time in whole epoch seconds. */
  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000)
  }
}

/** Formats a date as GitHub does: ISO 8601, UTC, whole seconds, `Z` suffix. */
export function isoSeconds(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
