/**
 * The one check of a repository path, used by every capability, action input and CLI option that
 * names a file or prefix in a repository or workspace (docs/github-behaviour.md §1.3): git refuses
 * to check out a tree with an empty, `.`, `..` or `.git` (any case) path component, and a path
 * with `..` or a leading `/` would leave the checkout.
 */
import { InvalidPathError } from '../errors.js'
import { hasControlCharacter } from '../text.js'

/** Options of {@link repositoryPath}. */
export interface RepositoryPathOptions {
  /** Accept (and drop) one trailing `/`, for a prefix such as `state/`. Default false. */
  prefix?: boolean
}

/**
 * Why `value` is not a safe repository path, or `undefined` when it is. The reason completes
 * "it …" (`has a ".." segment`).
 */
export function unsafePathReason(
  value: unknown,
  options: RepositoryPathOptions = {}
): string | undefined {
  if (typeof value !== 'string') return `is ${value === null ? 'null' : typeof value}, not text`
  if (value === '') return 'is empty'
  if (hasControlCharacter(value)) return 'has a control character'
  if (value.startsWith('/')) return 'starts with "/"'
  const body = options.prefix && value.endsWith('/') ? value.slice(0, -1) : value
  for (const segment of body.split('/')) {
    if (segment === '') return 'has an empty segment ("//" or a trailing "/")'
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`
    if (segment.toLowerCase() === '.git') return `has a "${segment}" segment`
  }
  return undefined
}

/**
 * Checks a repository path named by `input` (an option or action input, for the message) and
 * returns it unchanged (with `prefix`, without its trailing `/`). No request.
 *
 * @throws InvalidPathError naming `input` and the path, saying what is wrong and what to write.
 */
export function repositoryPath(
  input: string,
  value: unknown,
  options: RepositoryPathOptions = {}
): string {
  const problem = unsafePathReason(value, options)
  if (problem !== undefined) throw new InvalidPathError(input, String(value), problem)
  const path = value as string
  return options.prefix && path.endsWith('/') ? path.slice(0, -1) : path
}
