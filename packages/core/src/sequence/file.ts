/**
 * The sequence file: `{"sequences": {"akdchydnch_seq": 301, …}, "last_updated": "<ISO>",
 * "version": "1.0"}`, compatible with the existing `sequence_data.json`, plus hubstore's bounded
 * `claims` map (`{"<idempotency key or nonce>": {"sequence", "first", "last", "nonce", "at"}}`,
 * newest 100) that lets one read tell whether a caller already holds a block.
 *
 * Files are edited by hand (to correct a value), so reading validates with zod and names the
 * offending field; writing keeps unknown keys, key order, 2-space indentation and the final
 * newline.
 */
import { z } from 'zod'
import { InvalidSequenceFileError } from '../errors.js'
import { checkJsonDepth, JsonTooDeepError } from '../json/index.js'
import { dictionary } from '../text.js'
import { SEQUENCE_DEFAULTS } from './constants.js'

/** One block handed out, as recorded in the file's `claims` map. */
export interface Claim {
  /** the key in `sequences` (`name` or `name/FY2025-26`) */
  sequence: string
  first: number
  last: number
  /** random per call; also the commit trailer `Hubstore-Claim` */
  nonce: string
  /** ISO time of the claim; eviction keeps the newest */
  at?: string
}

const wholeNumber = z.number().int().min(0)
const claimSchema = z.looseObject({
  sequence: z.string(),
  first: z.number().int(),
  last: z.number().int(),
  nonce: z.string(),
  at: z.string().optional()
})
const fileSchema = z.looseObject({
  sequences: z.record(z.string(), wholeNumber).optional(),
  claims: z.record(z.string(), claimSchema).optional()
})

/** A parsed sequence file. Treat as immutable: the `with*` functions return new documents. */
export interface SequenceDocument {
  /** The file's JSON object as read (unknown keys and key order kept). */
  readonly json: Readonly<Record<string, unknown>>
  /** Whether the text ended with a newline (kept on write). */
  readonly finalNewline: boolean
}

/** The document of a file that does not exist yet. */
export const EMPTY_DOCUMENT: SequenceDocument = Object.freeze({
  json: Object.freeze({}),
  finalNewline: true
})

/**
 * Parses and validates the file's text. Empty text is an empty file.
 *
 * @param file where the file lives, for messages (`owner/repo:path (branch b)`).
 * @throws InvalidSequenceFileError naming the field and the problem (also for nesting deeper than
 *   `MAX_JSON_DEPTH`, 512 levels, which a later write could not copy).
 */
export function parseSequenceFile(text: string, file: string): SequenceDocument {
  if (text.trim() === '') return EMPTY_DOCUMENT
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidSequenceFileError(file, '', `is not JSON (${(error as Error).message})`)
  }
  try {
    checkJsonDepth(json)
  } catch (error) {
    if (!(error instanceof JsonTooDeepError)) throw error
    throw new InvalidSequenceFileError(file, error.path, error.detail)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InvalidSequenceFileError(file, '', 'is not a JSON object')
  const parsed = fileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.map(String).join('.') ?? ''
    const problem =
      issue?.path[0] === 'sequences' && issue.path.length === 2
        ? `must be a whole number ≥ 0 (${issue.message})`
        : (issue?.message ?? 'has the wrong shape')
    throw new InvalidSequenceFileError(file, field, problem)
  }
  return {
    json: withDictionaries(json as Record<string, unknown>),
    finalNewline: text.endsWith('\n')
  }
}

/** `json` with its `sequences` and `claims` maps (when present) as {@link dictionary}s. */
function withDictionaries(json: Record<string, unknown>): Record<string, unknown> {
  for (const field of ['sequences', 'claims'])
    if (Object.hasOwn(json, field)) json[field] = dictionary(json[field] as Record<string, unknown>)
  return json
}

/** `sequences` of a validated document (`{}` when absent). */
export function sequencesOf(doc: SequenceDocument): Readonly<Record<string, number>> {
  return (doc.json.sequences ?? dictionary()) as Record<string, number>
}

/** `claims` of a validated document (`{}` when absent). */
export function claimsOf(doc: SequenceDocument): Readonly<Record<string, Claim>> {
  return (doc.json.claims ?? dictionary()) as Record<string, Claim>
}

/** The file's text: 2-space JSON, final newline kept as read (added for new files). */
export function serialiseSequenceFile(doc: SequenceDocument): string {
  return `${JSON.stringify(doc.json, null, 2)}${doc.finalNewline ? '\n' : ''}`
}

/**
 * The document after handing out a block: `sequences[key] = value`, the claim recorded under
 * `claimKey` (moved to the end if present), claims beyond `claimsKept` evicted oldest first,
 * `last_updated` set to `now`, `version` added when missing.
 */
export function withIncrement(
  doc: SequenceDocument,
  change: { key: string; value: number; claimKey: string; claim: Claim; now: Date },
  claimsKept: number = SEQUENCE_DEFAULTS.claimsKept
): SequenceDocument {
  const json = withValueJson(doc, change.key, change.value, change.now)
  const claims = dictionary(claimsOf(doc))
  delete claims[change.claimKey]
  claims[change.claimKey] = change.claim
  json.claims = newest(claims, claimsKept)
  return { json, finalNewline: doc.finalNewline }
}

/** The document after a hand-style correction: `sequences[key] = value`, `last_updated` = now. */
export function withValue(
  doc: SequenceDocument,
  key: string,
  value: number,
  now: Date
): SequenceDocument {
  return { json: withValueJson(doc, key, value, now), finalNewline: doc.finalNewline }
}

function withValueJson(
  doc: SequenceDocument,
  key: string,
  value: number,
  now: Date
): Record<string, unknown> {
  // structuredClone gives plain objects back: the maps become dictionaries again.
  const json = withDictionaries(structuredClone(doc.json) as Record<string, unknown>)
  const sequences = (json.sequences ?? dictionary()) as Record<string, number>
  sequences[key] = value
  json.sequences = sequences
  json.last_updated = now.toISOString()
  if (!('version' in json)) json.version = SEQUENCE_DEFAULTS.fileVersion
  return json
}

function newest(claims: Record<string, Claim>, kept: number): Record<string, Claim> {
  const entries = Object.entries(claims)
  if (entries.length <= kept) return claims
  // Stable sort by claim time; claims without `at` (hand-written) count as oldest.
  const ordered = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const x = a.entry[1].at ?? ''
      const y = b.entry[1].at ?? ''
      return x < y ? -1 : x > y ? 1 : a.index - b.index
    })
  return dictionary(Object.fromEntries(ordered.slice(ordered.length - kept).map((o) => o.entry)))
}
