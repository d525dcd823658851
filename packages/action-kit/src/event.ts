import { readFileSync } from 'node:fs'
import { JsonTooDeepError, oneLine, parseJsonChecked } from '@hubstore/core/objects'
import { z } from 'zod'

/**
 * The event payload file (`GITHUB_EVENT_PATH`, docs/github-behaviour.md §11.7) cannot be read, is not JSON, or lacks a field
 * the action relies on. `code` is stable across bundles (match on it, not on `instanceof`).
 */
export class EventPayloadError extends Error {
  readonly code = 'INVALID_EVENT_PAYLOAD' as const
  override readonly name = 'EventPayloadError'
  constructor(
    /** the payload file, as `GITHUB_EVENT_PATH` names it */
    readonly file: string,
    /** the field at fault (`issue.labels[0]`), when the JSON parsed */
    readonly field: string | undefined,
    problem: string
  ) {
    super(
      `The event payload ${file} (GITHUB_EVENT_PATH) ${field ? `field "${field}" ` : ''}${problem}. ` +
        `The runner writes this file from the webhook payload of the event that started the ` +
        `workflow; if a step or a test wrote it, write that payload as JSON.`
    )
  }
}

/** The triggering event: `GITHUB_EVENT_NAME` and the payload, checked. */
export interface ActionEvent<T> {
  /** e.g. `issues`, `schedule`, `workflow_dispatch`; `''` when unset */
  name: string
  payload: T
}

/**
 * Reads and checks the event that started the workflow run: the JSON file `GITHUB_EVENT_PATH`
 * names (docs/github-behaviour.md §11.7), parsed with core's depth limit, then `schema`. Read when
 * called, not at import (unlike `@actions/github`'s `context`, whose `JSON.parse` at import
 * throws before the step can report anything). No `GITHUB_EVENT_PATH`: the payload is `{}`.
 *
 * @throws {EventPayloadError} naming the file, and the field when the JSON has the wrong shape
 */
export function readEvent<T>(
  schema: z.ZodType<T>,
  env: NodeJS.ProcessEnv = process.env
): ActionEvent<T> {
  const file = env.GITHUB_EVENT_PATH
  const name = env.GITHUB_EVENT_NAME ?? ''
  const parsed = file ? parseFile(file) : {}
  const checked = schema.safeParse(parsed)
  if (checked.success) return { name, payload: checked.data }
  const issue = checked.error.issues[0]
  const field = issue?.path.length ? fieldPath(issue.path) : undefined
  throw new EventPayloadError(file ?? '(none)', field, `is invalid: ${issue?.message ?? 'invalid'}`)
}

function parseFile(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new EventPayloadError(file, undefined, `cannot be read (${code})`)
  }
  try {
    return parseJsonChecked(text)
  } catch (error) {
    if (error instanceof JsonTooDeepError)
      throw new EventPayloadError(file, undefined, error.message)
    throw new EventPayloadError(
      file,
      undefined,
      `is not JSON (${oneLine((error as Error).message)})`
    )
  }
}

/** `['issue', 'labels', 0]` → `issue.labels[0]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('')
}

/**
 * The fields of an `issues` or `issue_comment` event payload an action reads: `issue.number`, a
 * positive whole number, and `issue.labels`, label objects with a `name`
 * (docs/github-behaviour.md §11.7). Other events (schedule, workflow_dispatch) have no `issue`.
 * Other fields pass through unchecked.
 */
export const issueEventSchema = z.looseObject({
  issue: z
    .looseObject({
      number: z.number().int().positive(),
      labels: z.array(z.looseObject({ name: z.string() })).optional()
    })
    .optional()
})

/** An event payload as {@link issueEventSchema} checks it. */
export type IssueEventPayload = z.infer<typeof issueEventSchema>

/**
 * A repository event's payload (`push`, `issues`, `pull_request`, …): the `repository` it
 * happened in, with its numeric `id` and `full_name`. Other fields pass through unchecked.
 */
export const repositoryEventSchema = z.looseObject({
  repository: z.looseObject({ id: z.number().int().positive(), full_name: z.string() })
})
