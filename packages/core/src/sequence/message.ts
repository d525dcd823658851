/**
 * Commit messages of the sequence file, which make its history an audit trail:
 *
 * ```
 * Increment akdchydnch_seq: 301 → 302
 *
 * Hubstore-Claim: 0f5e…                  (random per call)
 * Hubstore-Idempotency-Key: 9876-1-build (when the caller gave one)
 * ```
 *
 * The trailers let a caller whose answer was lost find its commit after the file's `claims` map
 * has dropped the claim (`docs/github-behaviour.md §9` item 5).
 */
import { CLAIM_TRAILER, IDEMPOTENCY_TRAILER } from './constants.js'

/** The message of an increment commit (`old` = value before, `last` = value after). */
export function incrementMessage(
  key: string,
  old: number,
  last: number,
  nonce: string,
  idempotencyKey?: string
): string {
  return (
    `Increment ${key}: ${old} → ${last}\n\n${CLAIM_TRAILER}: ${nonce}` +
    (idempotencyKey !== undefined ? `\n${IDEMPOTENCY_TRAILER}: ${idempotencyKey}` : '')
  )
}

/** The message of a correction made through `set` (`old` null = the key did not exist). */
export function setMessage(key: string, old: number | null, value: number, nonce: string): string {
  return `Set ${key}: ${old ?? 'none'} → ${value}\n\n${CLAIM_TRAILER}: ${nonce}`
}

/** What an increment or set commit message says. */
export interface ParsedMessage {
  kind: 'increment' | 'set'
  key: string
  /** `null` for `Set <key>: none → N` */
  old: number | null
  new: number
  nonce?: string
  idempotencyKey?: string
}

const HEADLINE = /^(Increment|Set) (.+): (none|-?[0-9]+) → (-?[0-9]+)$/

/** Parses a message written by {@link incrementMessage} or {@link setMessage}; else `null`. */
export function parseMessage(message: string): ParsedMessage | null {
  const [headline = '', ...rest] = message.split('\n')
  const m = HEADLINE.exec(headline.trim())
  if (!m) return null
  const [, verb, key, old, value] = m as unknown as [string, string, string, string, string]
  const trailers = trailersOf(rest)
  return {
    kind: verb === 'Set' ? 'set' : 'increment',
    key,
    old: old === 'none' ? null : Number(old),
    new: Number(value),
    ...(trailers[CLAIM_TRAILER] !== undefined ? { nonce: trailers[CLAIM_TRAILER] } : {}),
    ...(trailers[IDEMPOTENCY_TRAILER] !== undefined
      ? { idempotencyKey: trailers[IDEMPOTENCY_TRAILER] }
      : {})
  }
}

/** True when `message` carries `Hubstore-Claim: <nonce>`. */
export function hasClaimTrailer(message: string, nonce: string): boolean {
  return trailersOf(message.split('\n'))[CLAIM_TRAILER] === nonce
}

function trailersOf(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const m = /^([A-Za-z0-9-]+): (.*)$/.exec(line.trim())
    if (m) out[m[1] as string] = (m[2] as string).trim()
  }
  return out
}
