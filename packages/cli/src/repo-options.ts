/**
 * The repository context every store command shares: `--repo`, `--token`, `--api-url` and
 * `--json` (one set of flags, one set of defaults), and the `{ octokit, owner, repo }` they make.
 */
import { createGitHubClient, type RepoContext } from '@hubstore/core'
import type { Command } from 'commander'
import { UsageError } from './errors.js'
import { REPOSITORY_PATTERN } from './options.js'

/** The flags {@link repoOptions} adds, as commander parses them. */
export interface RepoFlags {
  repo?: string
  token?: string
  apiUrl?: string
  json?: boolean
}

/**
 * Adds `--repo` (default `$GITHUB_REPOSITORY`), `--token` (default `$GITHUB_TOKEN`; kept for
 * parity with gh-store's CLI), `--api-url` (default `$GITHUB_API_URL`) and `--json`.
 * `repository` describes what the repository holds, e.g. "the repository holding the objects".
 */
export function repoOptions(command: Command, repository = 'the repository'): Command {
  return command
    .option('-r, --repo <owner/name>', `${repository} (default: $GITHUB_REPOSITORY)`)
    .option(
      '--token <token>',
      'GitHub token (default: $GITHUB_TOKEN); prefer $GITHUB_TOKEN: a flag is visible in the ' +
        'process list and shell history'
    )
    .option('--api-url <url>', 'REST API root (default: $GITHUB_API_URL, else api.github.com)')
    .option('--json', 'print the result as JSON')
}

const MISSING_REPOSITORY = 'Say which repository: --repo owner/name (or set GITHUB_REPOSITORY).'

/**
 * The `owner/name` a command works on: `--repo`, else `$GITHUB_REPOSITORY`.
 * @throws {UsageError} when there is none or it is not `owner/name`
 */
export function repositoryFromFlags(
  flags: Pick<RepoFlags, 'repo'>,
  env: NodeJS.ProcessEnv = process.env
): string {
  const repository = flags.repo ?? env.GITHUB_REPOSITORY
  if (!repository) throw new UsageError(MISSING_REPOSITORY)
  return checkRepository(repository)
}

/** `repository` if it is `owner/name`. @throws {UsageError} */
function checkRepository(repository: string): string {
  if (!REPOSITORY_PATTERN.test(repository))
    throw new UsageError(`--repo takes owner/name, got "${repository}".`)
  return repository
}

/**
 * The client and repository of a command: repository from `--repo` or `$GITHUB_REPOSITORY`,
 * token from `--token` or `$GITHUB_TOKEN`, API root from `--api-url` or `$GITHUB_API_URL`
 * (else api.github.com).
 *
 * @throws {UsageError} one error naming everything missing (repository, token) or malformed
 */
export function repoContextFromFlags(
  flags: RepoFlags,
  env: NodeJS.ProcessEnv = process.env
): RepoContext {
  const repository = flags.repo ?? env.GITHUB_REPOSITORY
  const token = flags.token ?? env.GITHUB_TOKEN
  const missing: string[] = []
  if (!repository) missing.push(MISSING_REPOSITORY)
  if (!token)
    missing.push(
      'No GitHub token. Set GITHUB_TOKEN (or pass --token) to a token for the repository ' +
        '(for the emulator, a token made with hubstore emulator --token).'
    )
  if (!repository || !token) throw new UsageError(missing.join(' '))
  const [owner, repo] = checkRepository(repository).split('/') as [string, string]
  const octokit = createGitHubClient({ token, baseUrl: flags.apiUrl || env.GITHUB_API_URL })
  return { octokit, owner, repo }
}

/** Prints a command's result: the value as JSON with `--json`, else the human form. */
export function printResult(
  flags: Pick<RepoFlags, 'json'>,
  value: unknown,
  human: string | (() => string)
): void {
  const text = flags.json
    ? JSON.stringify(value, null, 2)
    : typeof human === 'string'
      ? human
      : human()
  process.stdout.write(`${text}\n`)
}
