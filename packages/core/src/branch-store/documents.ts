/**
 * The documents of a branch store as files: parse a file's text into a JSON value (core's exact
 * parser), check values against the schemas by path pattern, and turn a change's values into
 * the file additions and deletions of one commit (docs/gh-store-format.md §1.8).
 */
import type { z } from 'zod'
import type { RepoContext } from '../github/context.js'
import { repositoryName } from '../github/context.js'
import { repositoryPath } from '../github/path.js'
import { dictionary } from '../text.js'
import { InvalidOptionsError, InvalidStateDocumentError } from '../errors.js'
import type { FileAddition } from './git.js'
import {
  fromPlainJson,
  JsonTextError,
  JsonValueError,
  MAX_JSON_DEPTH,
  parseJson,
  serializeJson,
  toPlainJson
} from '../json/index.js'
import { firstIssue } from './schema-issue.js'

/** Documents read by a change: path → parsed JSON, `undefined` when the file does not exist. */
export type Documents = Record<string, unknown>

/** An empty {@link Documents} map: null-prototype, so any path is a key like any other. */
export function emptyDocuments(): Documents {
  return dictionary<unknown>()
}

/** What a change does; paths omitted stay as they are. */
export interface ChangeSet {
  /** path → new JSON value (written as 2-space JSON plus a newline) */
  write?: Record<string, unknown>
  /** paths to delete; each must be among the paths read (absent ones are ignored) */
  delete?: string[]
  /** commit headline (and body after a blank line); default `<prefix>: update <paths>` */
  message?: string
}

/**
 * The documents of one branch: parsing, schema checks and serialisation, each failure an
 * `InvalidStateDocumentError` naming the repository, branch, path and field.
 */
export class DocumentCodec {
  private readonly schemaRules: Array<{ pattern: RegExp; schema: z.ZodType }>

  /** `schemas`: zod schemas by path pattern (`*` one segment, `**` any; first match wins). */
  constructor(
    private readonly ctx: RepoContext,
    private readonly branch: string,
    schemas: Record<string, z.ZodType>
  ) {
    this.schemaRules = Object.entries(schemas).map(([pattern, schema]) => ({
      pattern: globToRegExp(pattern),
      schema
    }))
  }

  /** Parses every present file (`undefined` text = absent, left out of the map). */
  parseAll(files: Map<string, string | undefined>): Documents {
    const docs = emptyDocuments()
    for (const [path, text] of files) {
      if (text === undefined) continue
      docs[path] = this.parseDocument(path, text)
    }
    return docs
  }

  /**
   * Parses a document with core's exact parser (docs/gh-store-format.md §1.8): every key becomes
   * an own property (`__proto__` too), and a number a double cannot hold is refused naming its
   * field instead of being read as `Infinity`, `0` or a rounded value.
   */
  private parseDocument(path: string, text: string): unknown {
    let value: unknown
    try {
      value = toPlainJson(parseJson(text.replace(/^\uFEFF/, '')))
    } catch (error) {
      if (!(error instanceof JsonTextError)) throw error
      throw new InvalidStateDocumentError(
        repositoryName(this.ctx),
        this.branch,
        path,
        error.problem === 'syntax' ? '' : error.path,
        error.problem === 'syntax' ? `not JSON (${error.message})` : error.detail,
        'read'
      )
    }
    return this.check(path, value, 'read')
  }

  /** `value` as the first schema matching `path` parses it (unchanged when none matches). */
  private check(path: string, value: unknown, when: 'read' | 'write'): unknown {
    const rule = this.schemaRules.find((r) => r.pattern.test(path))
    if (!rule) return value
    const parsed = rule.schema.safeParse(value)
    if (parsed.success) return parsed.data
    const { field, problem } = firstIssue(parsed.error)
    throw new InvalidStateDocumentError(
      repositoryName(this.ctx),
      this.branch,
      path,
      field,
      problem,
      when
    )
  }

  /**
   * The file changes of `plan` against the documents read (`docs`, their texts `files`, the
   * paths `read`): writes whose text equals the stored text and deletes of absent documents
   * drop out. Throws `InvalidOptionsError` for a bad path, an `undefined` value, a delete of a
   * path not read or also written; `InvalidStateDocumentError` for a value that fails its
   * schema or is not JSON.
   */
  prepare(
    plan: ChangeSet | undefined,
    docs: Documents,
    files: Map<string, string | undefined>,
    read: readonly string[]
  ): { additions: FileAddition[]; deletions: string[] } {
    const additions: FileAddition[] = []
    const deletions: string[] = []
    if (!plan) return { additions, deletions }
    const writes = Object.entries(plan.write ?? {})
    checkPaths(writes.map(([p]) => p))
    for (const [path, raw] of writes) {
      if (raw === undefined)
        throw new InvalidOptionsError(
          `write["${path}"]`,
          'a JSON value (use delete to remove a file)',
          raw
        )
      const value = this.check(path, raw, 'write')
      let text: string
      try {
        text = serialize(value)
      } catch (error) {
        if (!(error instanceof JsonValueError)) throw error
        throw new InvalidStateDocumentError(
          repositoryName(this.ctx),
          this.branch,
          path,
          error.path,
          error.problem,
          'write'
        )
      }
      if (files.get(path) === text) continue
      additions.push({ path, content: Buffer.from(text, 'utf8') })
    }
    for (const path of plan.delete ?? []) {
      if (!read.includes(path))
        throw new InvalidOptionsError(`delete["${path}"]`, 'one of the paths the change read', path)
      if (plan.write && path in plan.write)
        throw new InvalidOptionsError(
          `delete["${path}"]`,
          'a path the change does not also write',
          path
        )
      if (docs[path] !== undefined) deletions.push(path)
    }
    return { additions, deletions }
  }
}

/**
 * The text hubstore writes for a document: 2-space JSON (core's writer, characters as themselves)
 * and a final newline. `NaN`, `Infinity` and bigints are refused (`JSON.stringify` wrote `null`).
 *
 * @throws JsonValueError naming the path
 */
export function serialize(value: unknown): string {
  return `${serializeJson(fromPlainJson(value, MAX_JSON_DEPTH), { ensureAscii: false })}\n`
}

/** Checks repository paths with {@link repositoryPath}; answers them without repeats. */
export function checkPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => repositoryPath('path', p)))]
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
    } else if (c === '*') re += '[^/]*'
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}
