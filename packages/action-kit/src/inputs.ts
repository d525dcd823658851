import * as core from '@actions/core'
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
}

/** Input specs shared by every action. */
export const inputSpecs = {
  /** Optional positive whole number; `''` becomes `undefined`. */
  optionalPositiveInt: {
    expected: 'a positive whole number, or empty',
    schema: z
      .string()
      .trim()
      .transform((s, ctx) => {
        if (s === '') return undefined
        if (!/^[0-9]+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
          ctx.addIssue({ code: 'custom', message: 'not a positive whole number' })
          return z.NEVER
        }
        return Number(s)
      })
  } satisfies InputSpec<number | undefined>,
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
  const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw
  throw new InputError(
    name,
    `expected ${spec.expected}, got ${JSON.stringify(shown)}`,
    spec.fix ?? `Set "${name}" to ${spec.expected} in the step's "with:" block.`
  )
}
