import { UsageError } from './errors.js'

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
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value))
    throw new UsageError(`--repo takes owner/name, got "${value}".`)
  return [...previous, value]
}
