import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { echoValue, unsafePathReason } from '@hubstore/core/github'
import { JsonTooDeepError, parseJsonChecked } from '@hubstore/core/objects'
import { z } from 'zod'

/**
 * Thrown when an action input fails validation. `code` is stable across bundles (match on it,
 * not on `instanceof`: each ncc bundle carries its own copy of this class).
 */
export class InputError extends Error {
  readonly code = 'INVALID_INPUT' as const
  override readonly name = 'InputError'
  constructor(
    readonly input: string,
    problem: string,
    fix: string
  ) {
    super(`Input "${input}": ${problem}. ${fix}`)
  }
}

/** A parser for one input: the raw string (`''` when unset) in, a typed value out, or a problem. */
export interface InputSpec<T> {
  /** What the input must look like, said in the error ("a positive whole number"). */
  readonly expected: string
  /** How to fix a bad value; defaults to a generic hint naming `expected`. */
  readonly fix?: string
  readonly schema: z.ZodType<T, string>
  /** The first issue's message says what is wrong; it is added to the error. Default false. */
  readonly explains?: boolean
}

/** Options of {@link wholeNumber}. */
export interface WholeNumberOptions {
  /** Smallest value accepted. */
  min: number
  /** Largest value accepted. Default `Number.MAX_SAFE_INTEGER`. */
  max?: number
  /** `''` (unset) becomes `undefined` instead of failing. Default false. */
  optional?: boolean
  /** The wording of the error; default "a whole number from MIN to MAX" / "a whole number ≥ MIN". */
  expected?: string
}

/** A whole number (digits only, no sign, no decimals) within `min`..`max`. */
export function wholeNumber(
  options: WholeNumberOptions & { optional: true }
): InputSpec<number | undefined>
export function wholeNumber(options: WholeNumberOptions): InputSpec<number>
export function wholeNumber(options: WholeNumberOptions): InputSpec<number | undefined> {
  const { min, max = Number.MAX_SAFE_INTEGER, optional = false } = options
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `a whole number ≥ ${min}`
      : `a whole number from ${min} to ${max}`
  return {
    expected: options.expected ?? (optional ? `${range}, or empty` : range),
    schema: z
      .string()
      .trim()
      .transform((s, ctx) => {
        if (optional && s === '') return undefined
        const n = Number(s)
        if (!/^[0-9]+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) {
          ctx.addIssue({ code: 'custom', message: 'out of range' })
          return z.NEVER
        }
        return n
      })
  }
}

/**
 * One of `values`, exactly as spelled (after trimming). The error says "A or B" for two values,
 * "one of A, B, C" for more, unless `expected` is given.
 */
export function oneOf<const T extends string>(
  values: readonly T[],
  expected?: string
): InputSpec<T> {
  return {
    expected:
      expected ??
      (values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`),
    schema: z
      .string()
      .trim()
      .pipe(z.enum(values as unknown as [T, ...T[]]))
  }
}

/**
 * JSON text, parsed and then checked with `schema` (default: any JSON value); `''` (or only
 * spaces) becomes `undefined`. Nesting deeper than core's `MAX_JSON_DEPTH` (512) is refused
 * ("too deep", with the limit and the path) before anything walks the value.
 */
export function jsonInput<T = unknown>(
  expected: string,
  schema: z.ZodType<T> = z.unknown() as z.ZodType<T>
): InputSpec<T | undefined> {
  return {
    expected,
    explains: true,
    schema: z.string().transform((s, ctx) => {
      if (s.trim() === '') return undefined
      let value: unknown
      try {
        value = parseJsonChecked(s)
      } catch (error) {
        const tooDeep = error instanceof JsonTooDeepError
        ctx.addIssue({ code: 'custom', message: tooDeep ? error.message : 'not JSON' })
        return z.NEVER
      }
      const checked = schema.safeParse(value)
      if (checked.success) return checked.data
      ctx.addIssue({ code: 'custom', message: 'JSON of the wrong shape' })
      return z.NEVER
    })
  }
}

/**
 * A relative file path inside the repository or workspace, checked by core's one path check
 * (`repositoryPath`, docs/github-behaviour.md §1.3): no empty, `.`, `..` or `.git` segment, no
 * leading `/`, no control character — so a step can neither leave its checkout nor commit a tree
 * git refuses to check out. The error says what is wrong with the path.
 */
export function relativeFilePath(expected: string): InputSpec<string> {
  return {
    expected,
    schema: z
      .string()
      .trim()
      .transform((p, ctx) => {
        const problem = unsafePathReason(p)
        if (problem === undefined) return p
        ctx.addIssue({ code: 'custom', message: `it ${problem}` })
        return z.NEVER
      }),
    explains: true
  }
}

/**
 * A list: items separated by newlines or commas (the two spellings a `with:` block uses), each
 * trimmed, empty items dropped. `''` is the empty list.
 */
export function listInput(expected = 'items separated by commas or newlines'): InputSpec<string[]> {
  return {
    expected,
    schema: z.string().transform((s) =>
      s
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter((item) => item !== '')
    )
  }
}

/** Input specs shared by every action. */
export const inputSpecs = {
  /** Optional positive whole number; `''` becomes `undefined`. */
  optionalPositiveInt: wholeNumber({
    min: 1,
    optional: true,
    expected: 'a positive whole number, or empty'
  }),
  /** Required non-empty string (a token, a name). */
  requiredString: {
    expected: 'a non-empty value',
    schema: z.string().trim().min(1)
  } satisfies InputSpec<string>,
  /** `owner/name`, the way `${{ github.repository }}` spells it. */
  repository: {
    expected: 'a repository written "owner/name"',
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/)
  } satisfies InputSpec<string>,
  /** `true` or `false` (YAML 1.2 core schema spellings, as @actions/core's getBooleanInput). */
  boolean: {
    expected: 'true or false',
    schema: z.string().trim().transform(toBoolean)
  } satisfies InputSpec<boolean>,
  /** `true`, `false` (as `boolean`) or empty; `''` becomes `undefined`. */
  optionalBoolean: {
    expected: 'true, false, or empty',
    schema: z
      .string()
      .trim()
      .transform((s, ctx) => (s === '' ? undefined : toBoolean(s, ctx)))
  } satisfies InputSpec<boolean | undefined>,
  /** Any text, trimmed; `''` (or only spaces) becomes `undefined`. */
  optionalString: {
    expected: 'text, or empty',
    schema: z.string().transform((s) => (s.trim() === '' ? undefined : s.trim()))
  } satisfies InputSpec<string | undefined>
}

/** YAML 1.2 core schema booleans; anything else is an issue on `ctx`. */
function toBoolean(s: string, ctx: z.RefinementCtx): boolean {
  if (['true', 'True', 'TRUE'].includes(s)) return true
  if (['false', 'False', 'FALSE'].includes(s)) return false
  ctx.addIssue({ code: 'custom', message: 'not a boolean' })
  return z.NEVER
}

/**
 * Reads one input through `@actions/core` (so `INPUT_<NAME>` with the runner's name mangling) and
 * validates it. Never silently defaults: an invalid value throws.
 *
 * @throws {InputError} naming the input, what was received and what is expected.
 */
export function readInput<T>(name: string, spec: InputSpec<T>): T {
  const raw = core.getInput(name)
  const parsed = spec.schema.safeParse(raw)
  if (parsed.success) return parsed.data
  const why = spec.explains ? ` (${parsed.error.issues[0]?.message ?? 'invalid'})` : ''
  throw new InputError(
    name,
    `expected ${spec.expected}, got ${echoValue(raw)}${why}`,
    spec.fix ?? `Set "${name}" to ${spec.expected} in the step's "with:" block.`
  )
}

/**
 * Core option name → the action input it was read from, filled by {@link readInputs}: its keys
 * are the option names the values are passed to core under (`timeZone` ← `time-zone`), so
 * `runStep` can report core's `InvalidOptionsError` on `timeZone` as input `time-zone`.
 */
export const optionInputs = new Map<string, string>()

/**
 * Reads several inputs in the order given (the first invalid one throws), keyed by the names
 * the caller chose: `readInputs({ count: [Inputs.Count, specs.count] })` → `{ count: 3 }`.
 * Name the keys as core names the options they are passed to (`timeZone`, `maxAttempts`): each
 * key → input is recorded in {@link optionInputs}, so a core option error names the input.
 *
 * @throws {InputError} for the first input that fails its spec
 */
export function readInputs<S extends Record<string, readonly [string, InputSpec<unknown>]>>(
  specs: S
): { [K in keyof S]: S[K][1] extends InputSpec<infer T> ? T : never } {
  const values: Record<string, unknown> = {}
  for (const [key, [name, spec]] of Object.entries(specs)) {
    optionInputs.set(key, name)
    values[key] = readInput(name, spec)
  }
  return values as { [K in keyof S]: S[K][1] extends InputSpec<infer T> ? T : never }
}

/**
 * Reads a file an input names, relative to the workspace (`GITHUB_WORKSPACE`, else the current
 * directory), after core's path check (no `..`, `.git`, leading `/`…). `what` names the file in
 * the error ("the mapping file").
 *
 * @throws {InputError} naming the input and the file when the path is unsafe or the file cannot
 *   be read, with `fix`
 */
export async function readWorkspaceFile(
  input: string,
  file: string,
  what: string,
  fix: string
): Promise<string> {
  const problem = unsafePathReason(file)
  if (problem !== undefined)
    throw new InputError(input, `${what} path ${JSON.stringify(file)} ${problem}`, fix)
  try {
    return await readFile(resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), file), 'utf8')
  } catch (error) {
    throw new InputError(
      input,
      `cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      fix
    )
  }
}

/**
 * A value given either inline (input `inline`) or, for values too large for an input, as a file
 * relative to the workspace (input `file`): the runner passes inputs as environment variables,
 * and Linux refuses one over 128 KiB (`E2BIG`, docs/peers-and-limits.md §1). The file's text is
 * parsed with the same `spec` as the inline value. Neither given: `spec` of `''` (so an optional
 * value stays unset, a required one fails naming `inline`).
 *
 * @throws {InputError} when both are given, when the inline value or the file's text fails
 *   `spec`, or when the file path is unsafe or cannot be read (naming `file`).
 */
export async function readInputOrFile<T>(
  inline: string,
  file: string,
  spec: InputSpec<T>,
  what: string
): Promise<T> {
  const inlineRaw = core.getInput(inline)
  const path = readInput(file, inputSpecs.optionalString)
  if (path === undefined) return readInput(inline, spec)
  if (inlineRaw.trim() !== '')
    throw new InputError(
      file,
      `cannot be given together with "${inline}"`,
      `Set either "${inline}" (inline) or "${file}" (a file in the workspace), not both.`
    )
  const text = await readWorkspaceFile(
    file,
    path,
    what,
    'Write the file in the workspace first (a relative path such as data/value.json).'
  )
  const parsed = spec.schema.safeParse(text)
  if (parsed.success) return parsed.data
  throw new InputError(
    file,
    `${what} ${path} is not ${spec.expected}`,
    `Write ${spec.expected} into ${path}.`
  )
}
