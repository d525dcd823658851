/**
 * Every option parser of the CLI: commander parsers and collectors for single flags (ports,
 * whole numbers, `--token`, `--repo`, `--input`), the text a flag points at, and the repository
 * context every store command shares: `--repo`, `--token`, `--api-url` and `--json` (one set of
 * flags, one set of defaults), and the `{ octokit, owner, repo }` they make; the objects commands
 * add `--config` (gh-store's `config.yml`, {@link storeContextFromFlags}).
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { createGitHubClient, type ClientOptions, type RepoContext } from '@hubstore/core'
import {
  apiUrlProblem,
  DURATION_FORMS,
  echoValue,
  parseDurationMs,
  repositoryPath
} from '@hubstore/core/github'
import {
  clientOptionsOf,
  createStoreLogger,
  defaultConfigPath,
  logRequests,
  parseStoreConfig,
  VERSION_NUMBERINGS,
  type StoreConfig,
  type StoreLogger,
  type VersionNumbering
} from '@hubstore/core/objects'
import { Option, type Command } from 'commander'
import { UsageError } from './errors.js'

/** `owner/name` as GitHub allows it in a repository's full name. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/

/** commander parser for a TCP port (0–65535). @throws {UsageError} */
export function parsePort(value: string): number {
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535, got ${echoValue(value)}.`)
  return n
}

/**
 * commander parser for a flag or argument naming a file in a repository: core's one path check
 * (docs/github-behaviour.md §1.3), so `--path ../x.json` fails before any request.
 * @throws {InvalidPathError} naming `flag` (a user error: exit 2)
 */
export function repositoryPathFlag(flag: string): (value: string) => string {
  return (value) => repositoryPath(flag, value)
}

/** commander collector for repeated `--input name=value` flags. @throws {UsageError} */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {}
): Record<string, string> {
  const at = value.indexOf('=')
  if (at < 1) throw new UsageError(`--input takes name=value, got ${echoValue(value)}.`)
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
    throw new UsageError(`--repo takes owner/name, got ${echoValue(value)}.`)
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
      throw new UsageError(`${flag} takes a whole number ≥ ${min}, got ${echoValue(value)}.`)
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

// The repository context of the store commands.

/** The flags {@link repoOptions} adds, as commander parses them. */
export interface RepoFlags {
  repo?: string
  token?: string
  apiUrl?: string
  json?: boolean
  /** `--max-rate-limit-wait`, milliseconds */
  maxRateLimitWait?: number
  /** `--request-timeout`, milliseconds */
  requestTimeout?: number
}

/**
 * commander parser for a duration flag (`flag` names it in the error): seconds, or with a unit
 * (`500ms`, `30s`, `5m`); answers milliseconds.
 * @throws {UsageError}
 */
export function durationFlag(flag: string): (value: string) => number {
  return (value) => {
    const ms = parseDurationMs(value)
    if (ms === undefined)
      throw new UsageError(`${flag} takes ${DURATION_FORMS}, got ${echoValue(value)}.`)
    return ms
  }
}

/**
 * Adds `--repo` (default `$GITHUB_REPOSITORY`), `--token` (default `$GH_TOKEN`, else `$GITHUB_TOKEN`; kept for
 * parity with gh-store's CLI), `--api-url` (default `$GITHUB_API_URL`) and `--json`.
 * `repository` describes what the repository holds, e.g. "the repository holding the objects".
 */
export function repoOptions(command: Command, repository = 'the repository'): Command {
  return command
    .option('-r, --repo <owner/name>', `${repository} (default: $GITHUB_REPOSITORY)`)
    .option(
      '--token <token>',
      'GitHub token (default: $GH_TOKEN, else $GITHUB_TOKEN); prefer $GITHUB_TOKEN: a flag is ' +
        'visible in the process list and shell history'
    )
    .option('--api-url <url>', 'REST API root (default: $GITHUB_API_URL, else api.github.com)')
    .option(
      '--max-rate-limit-wait <duration>',
      'longest wait for a rate limit to lift, then fail with RATE_LIMITED (seconds, or 500ms, 30s, 5m; default 5m)',
      durationFlag('--max-rate-limit-wait')
    )
    .option(
      '--request-timeout <duration>',
      'time one request may take before it is retried or fails (seconds, or 500ms, 30s, 5m; default 30s)',
      durationFlag('--request-timeout')
    )
    .option('--json', 'print the result as JSON (camelCase keys)')
}

/**
 * The token from the environment: `$GH_TOKEN`, else `$GITHUB_TOKEN` (the gh CLI's variables in
 * its order of precedence, docs/github-behaviour.md §11.1); an empty value counts as unset.
 */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.GH_TOKEN || env.GITHUB_TOKEN || undefined
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
    throw new UsageError(`--repo takes owner/name, got ${echoValue(repository)}.`)
  return repository
}

/**
 * The client and repository of a command: repository from `--repo` or `$GITHUB_REPOSITORY`,
 * token from `--token`, `$GH_TOKEN` or `$GITHUB_TOKEN`, API root from `--api-url` or `$GITHUB_API_URL`
 * (else api.github.com).
 *
 * @throws {UsageError} one error naming everything missing (repository, token) or malformed
 */
export function repoContextFromFlags(
  flags: RepoFlags,
  env: NodeJS.ProcessEnv = process.env,
  client: Pick<ClientOptions, 'budget' | 'retry' | 'log'> = {}
): RepoContext {
  const repository = flags.repo ?? env.GITHUB_REPOSITORY
  const token = flags.token ?? tokenFromEnv(env)
  const missing: string[] = []
  if (!repository) missing.push(MISSING_REPOSITORY)
  if (!token)
    missing.push(
      'No GitHub token. Set GITHUB_TOKEN (or pass --token) to a token for the repository ' +
        '(for the emulator, a token made with hubstore emulator --token).'
    )
  if (!repository || !token) throw new UsageError(missing.join(' '))
  const [owner, repo] = checkRepository(repository).split('/') as [string, string]
  const apiUrl = flags.apiUrl || env.GITHUB_API_URL
  const problem = apiUrl === undefined ? undefined : apiUrlProblem(apiUrl)
  if (apiUrl !== undefined && problem !== undefined)
    throw new UsageError(
      `${flags.apiUrl ? '--api-url' : 'GITHUB_API_URL'} ${echoValue(apiUrl)} ${problem}: give the REST API root as an http(s) URL, e.g. https://api.github.com or https://HOST/api/v3.`
    )
  const octokit = createGitHubClient({
    token,
    baseUrl: apiUrl,
    requestTimeoutMs: flags.requestTimeout,
    throttle: { maxRateLimitWaitMs: flags.maxRateLimitWait },
    ...client
  })
  return { octokit, owner, repo }
}

/** The flags of the objects commands: {@link RepoFlags} plus `--config`. */
export interface StoreFlags extends RepoFlags {
  config?: string
  /** `--version-numbering` of the reads that report versions ({@link versionNumberingOption}) */
  versionNumbering?: VersionNumbering
}

/**
 * Adds `--version-numbering hubstore|gh-store` to a command that reports `meta.version` (objects
 * get, objects list, snapshot, update-snapshot); absent: config.yml's
 * `hubstore.version_numbering`, else hubstore's (docs/gh-store-format.md §4.1).
 */
export function versionNumberingOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--version-numbering <scheme>',
      "the versions reported: hubstore (the issue's comment count) or gh-store (what gh-store reports: " +
        'get = comments + 1, lists and snapshots 1); default: config.yml hubstore.version_numbering, else hubstore'
    ).choices([...VERSION_NUMBERINGS])
  )
}

/**
 * Adds `--config PATH` to an objects command: gh-store's `config.yml` (docs/gh-store-format.md
 * §5.3), default gh-store's location `~/.config/gh-store/config.yml` when that file exists.
 */
export function configOption(command: Command): Command {
  return command.option(
    '--config <path>',
    "gh-store's config.yml: labels, reactions, request budget (default: " +
      "~/.config/gh-store/config.yml when it exists, else gh-store's defaults)"
  )
}

/**
 * The store configuration of an objects command: the file `--config` names (a missing file is a
 * usage error), else gh-store's default location under `$HOME` when a file is there, else none
 * (`undefined`: gh-store's defaults and no request budget).
 *
 * @throws {UsageError} when `--config` names a file that cannot be read
 * @throws InvalidStoreConfigError (`INVALID_STORE_CONFIG`, exit 2) naming the bad key and the fix
 */
export function storeConfigFromFlags(
  flags: Pick<StoreFlags, 'config'>,
  env: NodeJS.ProcessEnv = process.env
): { path: string; config: StoreConfig } | undefined {
  const explicit = flags.config
  const path = explicit ?? defaultConfigPath(env.HOME || homedir())
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    if (explicit === undefined && code === 'ENOENT') return undefined
    throw new UsageError(`--config: cannot read ${path} (${code}).`)
  }
  return { path, config: parseStoreConfig(text, path) }
}

/**
 * {@link repoContextFromFlags} for the objects commands: the context carries the `config.yml`
 * of {@link storeConfigFromFlags} as `storeConfig`, its client the file's request budget
 * (`store.rate_limit.max_requests_per_hour`) and retry policy (`store.retries`, see core's
 * `clientOptionsOf`), and `log` the file's `store.log` level and format (at `DEBUG`, one line per
 * request). Without a file: gh-store's defaults, no budget, hubstore's retries, plain lines.
 *
 * @throws {UsageError}, InvalidStoreConfigError
 */
export function storeContextFromFlags(
  flags: StoreFlags,
  env: NodeJS.ProcessEnv = process.env
): StoreContext {
  const found = storeConfigFromFlags(flags, env)
  const log = createStoreLogger({
    log: found?.config.log ?? PLAIN_LOG,
    write: (line) => void process.stderr.write(`${line}\n`)
  })
  if (!found) return { ...repoContextFromFlags(flags, env), log }
  // The client's retry and rate-limit lines are warnings of the configured log.
  const ctx = repoContextFromFlags(flags, env, {
    ...clientOptionsOf(found.config),
    log: (line) => log.warning(line)
  })
  logRequests(ctx.octokit, log)
  return { ...ctx, storeConfig: found.config, log }
}

/** The context of an objects command, with the log its lines go through. */
export interface StoreContext extends RepoContext {
  /**
   * Standard error, by config.yml's `store.log` (docs/gh-store-format.md §5.3.2); without a
   * config file, the message alone at `INFO`.
   */
  log: StoreLogger
}

/** The log of a command without config.yml: lines as they are, `INFO` and above. */
const PLAIN_LOG = { level: 'INFO', format: '{message}' } as const

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
