import { readFile } from 'node:fs/promises'
import { UsageError } from './errors.js'

/** `owner/name` as GitHub allows it in a repository's full name. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/

/** commander parser for a TCP port (0–65535). @throws {UsageError} */
export function parsePort(value: string): number {
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535, got "${value}".`)
  return n
}

/** commander collector for repeated `--input name=value` flags. @throws {UsageError} */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {}
): Record<string, string> {
  const at = value.indexOf('=')
  if (at < 1) throw new UsageError(`--input takes name=value, got "${value}".`)
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) }
}

/** One `--token TOKEN:login:permission` flag, parsed. */
export interface TokenFlag {
  token: string
  login: string
  permission: 'admin' | 'write' | 'read'
  /** `Bot` when the login ends in `[bot]` (e.g. `github-actions[bot]`, the GITHUB_TOKEN stand-in). */
  type: 'User' | 'Bot'
}

/**
 * commander collector for repeated `--token TOKEN:login:permission` flags. The token is everything
 * before the last two colons, so tokens that contain colons still work.
 * @throws {UsageError}
 */
export function collectToken(value: string, previous: TokenFlag[] = []): TokenFlag[] {
  const parts = value.split(':')
  const permission = parts.pop()
  const login = parts.pop()
  const token = parts.join(':')
  if (
    !token ||
    !login ||
    (permission !== 'admin' && permission !== 'write' && permission !== 'read')
  )
    throw new UsageError(
      '--token takes TOKEN:login:permission with permission admin, write or read, e.g. --token t1:octocat:admin.'
    )
  return [...previous, { token, login, permission, type: login.endsWith('[bot]') ? 'Bot' : 'User' }]
}

/** commander collector for repeated `--repo owner/name` flags. @throws {UsageError} */
export function collectRepo(value: string, previous: string[] = []): string[] {
  if (!REPOSITORY_PATTERN.test(value))
    throw new UsageError(`--repo takes owner/name, got "${value}".`)
  return [...previous, value]
}

/**
 * commander parser for a whole-number flag or argument (`flag` names it in the error).
 * @throws {UsageError}
 */
export function wholeNumber(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < min)
      throw new UsageError(`${flag} takes a whole number ≥ ${min}, got "${value}".`)
    return n
  }
}

/** Reads all of standard input as UTF-8. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads a file a flag names (`what` names the flag in the error). @throws {UsageError} */
export async function readFileArgument(what: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(
      `${what}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`
    )
  }
}

/** Reads the text a flag points at: a file, or `-` for standard input. @throws {UsageError} */
export async function readTextArgument(
  what: string,
  file: string,
  stdin: () => Promise<string> = readStdin
): Promise<string> {
  return file === '-' ? stdin() : readFileArgument(what, file)
}
