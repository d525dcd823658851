/**
 * The legacy layout in repository variables, and the mapping of variable names to files.
 *
 * Default names (docs/architecture.md §2.2; `<ACCOUNT>` is the account upper-cased):
 * `<ACCOUNT>_ALBUM_<ALBUM_ID>_POSTS` (JSON array of `{position, photo_id, instagram_post_id,
 * posted_at}`), `<ACCOUNT>_ALBUM_<ALBUM_ID>_FAILED` (JSON array of positions) and
 * `<ACCOUNT>_ALBUM_<ALBUM_ID>_METADATA` (optional JSON object). A mapping file adds rules
 * (`pattern` → `path`, with a `kind` saying how the value is read) before the defaults.
 */
import { z } from 'zod'
import { firstIssue } from '../branch-store/schema-issue.js'
import { InvalidMappingError } from '../errors.js'
import { JsonTooDeepError, parseJsonChecked } from '../json/index.js'
import { unsafePathReason } from '../github/path.js'
import { parseStatePath } from './layout.js'
import {
  basicPost,
  enrichFailed,
  enrichPost,
  LegacyFailedSchema,
  LegacyMetadataSchema,
  LegacyPostsSchema,
  type FailedPosition,
  type PostRecord
} from './models.js'

/**
 * How a variable's value is read: `posts`, `failed`, `metadata` (the album documents, enriched
 * to the full model), `config` (an account's configuration object) or `json` (any JSON, copied).
 */
export type LegacyKind = 'posts' | 'failed' | 'metadata' | 'config' | 'json'
export const LEGACY_KINDS = ['posts', 'failed', 'metadata', 'config', 'json'] as const

/** One rule of a mapping file. */
export interface MappingRule {
  /**
   * A variable name template (`{account}_ALBUM_{album}_POSTS`: `{x}` captures letters and digits
   * joined by `_`, `*` anything) or, starting with `^`, a regular expression with named groups.
   * Matched case-insensitively (GitHub variable names are).
   */
  pattern: string
  /** Target path; `{x}`, `{x:lower}`, `{x:upper}` insert a captured group. */
  path: string
  /** Default `json`. `posts`/`failed`/`metadata` need groups `account` and `album`; `config` needs `account`. */
  kind?: LegacyKind
}

/** A mapping file: `{"rules": [...], "include_defaults": true}`. */
export interface MappingFile {
  rules?: MappingRule[]
  /** Also apply {@link DEFAULT_MAPPING_RULES} after `rules` (default true). */
  include_defaults?: boolean
}

/** The default naming the migration reads. */
export const DEFAULT_MAPPING_RULES: readonly MappingRule[] = [
  {
    pattern: '{account}_ALBUM_{album}_POSTS',
    path: '{account:lower}-account/album-{album:lower}/posts.json',
    kind: 'posts'
  },
  {
    pattern: '{account}_ALBUM_{album}_FAILED',
    path: '{account:lower}-account/album-{album:lower}/failed.json',
    kind: 'failed'
  },
  {
    pattern: '{account}_ALBUM_{album}_METADATA',
    path: '{account:lower}-account/album-{album:lower}/metadata.json',
    kind: 'metadata'
  }
]

/** Where one variable goes. */
export interface VariableTarget {
  path: string
  kind: LegacyKind
  /** account name (lower-case), for album and config kinds */
  account?: string
  /** album id (lower-case), for album kinds */
  albumId?: string
}

/** Compiled mapping rules. */
export interface VariableMapping {
  readonly rules: ReadonlyArray<MappingRule & { regex: RegExp }>
  /** The target of a variable name, or `null` when no rule matches. */
  target(name: string): VariableTarget | null
}

const MappingFileSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        pattern: z.string().min(1),
        path: z.string().min(1),
        kind: z.enum(LEGACY_KINDS).optional()
      })
    )
    .optional(),
  include_defaults: z.boolean().optional()
})

/**
 * Compiles a mapping: `undefined`/`''` = the defaults; a JSON string or an object in the
 * {@link MappingFile} shape otherwise. @throws InvalidMappingError naming the field at fault.
 */
export function compileMapping(input?: string | MappingFile | null): VariableMapping {
  let raw: unknown = input ?? {}
  if (typeof input === 'string') {
    if (input.trim() === '') raw = {}
    else
      try {
        raw = parseJsonChecked(input)
      } catch (error) {
        if (error instanceof JsonTooDeepError)
          throw new InvalidMappingError(error.path, error.detail)
        throw new InvalidMappingError('', `not JSON (${(error as Error).message})`)
      }
  }
  const parsed = MappingFileSchema.safeParse(raw)
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error)
    throw new InvalidMappingError(field, problem)
  }
  const file = parsed.data
  const rules = [
    ...(file.rules ?? []),
    ...(file.include_defaults === false ? [] : DEFAULT_MAPPING_RULES)
  ].map((rule, i) => compileRule(rule, `rules[${i}]`))
  return {
    rules,
    target(name: string): VariableTarget | null {
      for (const rule of rules) {
        const m = rule.regex.exec(name)
        if (!m) continue
        const groups = m.groups ?? {}
        const path = rule.path.replace(
          /\{([A-Za-z_][A-Za-z0-9_]*)(?::(lower|upper))?\}/g,
          (_, g: string, how?: string) => {
            const v = groups[g] ?? ''
            return how === 'lower' ? v.toLowerCase() : how === 'upper' ? v.toUpperCase() : v
          }
        )
        const kind = rule.kind ?? 'json'
        return {
          path,
          kind,
          ...(groups.account ? { account: groups.account.toLowerCase() } : {}),
          ...(groups.album ? { albumId: groups.album.toLowerCase() } : {})
        }
      }
      return null
    }
  }
}

function compileRule(rule: MappingRule, field: string): MappingRule & { regex: RegExp } {
  let regex: RegExp
  try {
    regex = rule.pattern.startsWith('^')
      ? new RegExp(rule.pattern, 'i')
      : new RegExp(`^${templateToRegex(rule.pattern)}$`, 'i')
  } catch (error) {
    throw new InvalidMappingError(
      `${field}.pattern`,
      `not a valid pattern (${(error as Error).message})`
    )
  }
  const groups = new Set(
    [
      ...(rule.pattern.startsWith('^')
        ? rule.pattern.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)
        : rule.pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g))
    ].map((m) => m[1])
  )
  for (const m of rule.path.matchAll(/\{([^}]*)\}/g)) {
    const [name, how] = m[1].split(':')
    if (!groups.has(name) || (how !== undefined && how !== 'lower' && how !== 'upper'))
      throw new InvalidMappingError(
        `${field}.path`,
        `"{${m[1]}}" is not a group of the pattern (groups: ${[...groups].join(', ') || 'none'}; modifiers :lower, :upper)`
      )
  }
  const kind = rule.kind ?? 'json'
  const needs = kind === 'config' ? ['account'] : kind === 'json' ? [] : ['account', 'album']
  for (const g of needs)
    if (!groups.has(g))
      throw new InvalidMappingError(`${field}.pattern`, `kind "${kind}" needs a group named "${g}"`)
  // The template's literal text must be a safe path; its {group} parts are checked per variable.
  const literal = rule.path.replace(/\{[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}/g, 'x')
  const problem = unsafePathReason(literal)
  if (problem !== undefined)
    throw new InvalidMappingError(`${field}.path`, `${problem}: use a relative repository path`)
  return { ...rule, regex }
}

function templateToRegex(template: string): string {
  let out = ''
  let rest = template
  while (rest.length > 0) {
    const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest)
    if (m) {
      out += `(?<${m[1]}>[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*?)`
      rest = rest.slice(m[0].length)
    } else if (rest[0] === '*') {
      out += '.*'
      rest = rest.slice(1)
    } else {
      out += rest[0].replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      rest = rest.slice(1)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Reading legacy values
// ---------------------------------------------------------------------------------------------

/** A legacy value read into the model, or why it cannot be. */
export type LegacyValue =
  | { ok: true; kind: 'posts'; records: PostRecord[] }
  | { ok: true; kind: 'failed'; records: FailedPosition[] }
  | { ok: true; kind: 'metadata' | 'config'; object: Record<string, unknown> }
  | { ok: true; kind: 'json'; value: unknown }
  | { ok: false; status: 'invalid_json' | 'invalid_shape'; problem: string }

/**
 * Parses and enriches one variable's value for its target (see `enrichPost` / `enrichFailed`
 * for the defaults). Never throws: bad values come back as `invalid_json` / `invalid_shape`
 * with the offending field.
 */
export function readLegacyValue(
  name: string,
  value: string,
  target: VariableTarget,
  now: string
): LegacyValue {
  let json: unknown
  try {
    json = parseJsonChecked(value)
  } catch (error) {
    const problem =
      error instanceof JsonTooDeepError ? error.message : `not JSON (${(error as Error).message})`
    return { ok: false, status: 'invalid_json', problem }
  }
  const shape = (error: z.ZodError, what: string): LegacyValue => {
    const { field, problem } = firstIssue(error)
    return {
      ok: false,
      status: 'invalid_shape',
      problem: `${what}: ${field ? `${field}: ` : ''}${problem}`
    }
  }
  switch (target.kind) {
    case 'posts': {
      const parsed = LegacyPostsSchema.safeParse(json)
      if (!parsed.success) return shape(parsed.error, 'expected an array of post records')
      const byPosition = new Map<number, PostRecord>()
      for (const legacy of parsed.data) {
        const record = enrichPost(legacy, target.account ?? '', now)
        const seen = byPosition.get(record.position)
        if (seen && JSON.stringify(basicPost(seen)) !== JSON.stringify(basicPost(record)))
          return {
            ok: false,
            status: 'invalid_shape',
            problem: `position ${record.position} appears twice with different values`
          }
        byPosition.set(record.position, record)
      }
      return {
        ok: true,
        kind: 'posts',
        records: [...byPosition.values()].sort((a, b) => a.position - b.position)
      }
    }
    case 'failed': {
      const parsed = LegacyFailedSchema.safeParse(json)
      if (!parsed.success) return shape(parsed.error, 'expected an array of positions')
      const byPosition = new Map<number, FailedPosition>()
      for (const entry of parsed.data) {
        const record = enrichFailed(entry as number | Record<string, unknown>, name)
        byPosition.set(record.position, record)
      }
      return {
        ok: true,
        kind: 'failed',
        records: [...byPosition.values()].sort((a, b) => a.position - b.position)
      }
    }
    case 'metadata':
    case 'config': {
      const parsed = LegacyMetadataSchema.safeParse(json)
      if (!parsed.success) return shape(parsed.error, 'expected a JSON object')
      return { ok: true, kind: target.kind, object: parsed.data }
    }
    case 'json':
      return { ok: true, kind: 'json', value: json }
  }
}

/** The number of records a value holds (posts, positions, keys; 1 for other JSON). */
export function recordCount(value: LegacyValue): number {
  if (!value.ok) return 0
  if (value.kind === 'posts' || value.kind === 'failed') return value.records.length
  if (value.kind === 'metadata' || value.kind === 'config') return Object.keys(value.object).length
  return 1
}

/** True when `path` is a per-album document of the automation layout. */
export function isAlbumDocument(path: string): boolean {
  const parsed = parseStatePath(path)
  return parsed !== null && parsed.kind !== 'config'
}
