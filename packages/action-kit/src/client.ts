import * as core from '@actions/core'
import {
  createGitHubClient,
  type ClientOptions,
  type HubstoreOctokit,
  type RepoContext
} from '@hubstore/core'
import { DURATION_FORMS, parseDurationMs, readRepoFile } from '@hubstore/core/github'
import {
  clientOptionsOf,
  createStoreLogger,
  logRequests,
  parseStoreConfig,
  type StoreLogger
} from '@hubstore/core/objects'
import { z } from 'zod'
import { InputError, inputSpecs, readInput, relativeFilePath, type InputSpec } from './inputs.js'

/**
 * Builds hubstore's GitHub client for an action step: masks the token in the log first
 * (`core.setSecret`), then uses the runner's `GITHUB_API_URL` (GitHub Enterprise Server and the
 * emulator work the same way), the `request-timeout` and `max-rate-limit-wait` inputs (empty:
 * core's 30 s and 5 min), and the client's retry and rate-limit lines as `core.info`.
 *
 * @throws {InputError} when `request-timeout` or `max-rate-limit-wait` is not a duration
 */
export function clientFromInputs(
  token: string,
  client: Pick<ClientOptions, 'budget' | 'retry' | 'log'> = {}
): HubstoreOctokit {
  core.setSecret(token)
  return createGitHubClient({
    token,
    baseUrl: process.env.GITHUB_API_URL,
    requestTimeoutMs: readInput('request-timeout', durationInput),
    throttle: { maxRateLimitWaitMs: readInput('max-rate-limit-wait', durationInput) },
    log: (line) => core.info(line),
    ...client
  })
}

/** A duration in seconds or with a unit (`500ms`, `30s`, `5m`), as ms; `''` = the default. */
export const durationInput: InputSpec<number | undefined> = {
  expected: `${DURATION_FORMS}, or empty`,
  schema: z.string().transform((s, ctx) => {
    if (s.trim() === '') return undefined
    const ms = parseDurationMs(s)
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a duration' })
      return z.NEVER
    }
    return ms
  })
}

/** Splits `owner/name` (already validated by `inputSpecs.repository`). */
export function splitRepository(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split('/') as [string, string]
  return { owner, repo }
}

/**
 * The repository an action step works on, from the `token` and `repository` inputs every
 * hubstore action declares (read in that order): the token masked, the client on the runner's
 * `GITHUB_API_URL`, and `repository` as given (`owner/name`) for messages.
 *
 * @throws {InputError} when the token is empty or the repository is not `owner/name`
 */
export function repoContextFromInputs(): { ctx: RepoContext; repository: string } {
  const token = readInput('token', inputSpecs.requiredString)
  const repository = readInput('repository', inputSpecs.repository)
  return { ctx: { octokit: clientFromInputs(token), ...splitRepository(repository) }, repository }
}

const CONFIG_PATH = relativeFilePath('a path in the repository, e.g. config.yml')

/**
 * {@link repoContextFromInputs} for the objects actions, plus their `config` input: a path in
 * the repository to gh-store's `config.yml` (docs/gh-store-format.md §5.3), read from the default
 * branch through the contents API (1 request; no checkout needed). Its labels and reactions
 * become `ctx.storeConfig`, its `store.rate_limit.max_requests_per_hour` the budget and its
 * `store.retries` the retry policy of the client the step then uses (core's `clientOptionsOf`),
 * and its `store.log` the level and format of `log`, the step's info lines (at `DEBUG` one per
 * request; annotations stay workflow commands). Empty input: gh-store's defaults, no budget,
 * hubstore's retries, plain info lines, no request.
 *
 * @throws {InputError} when the path is unsafe or the repository has no such file
 * @throws InvalidStoreConfigError (`INVALID_STORE_CONFIG`) naming the bad key and the fix
 */
export async function storeContextFromInputs(
  input = 'config'
): Promise<{ ctx: RepoContext; repository: string; log: StoreLogger }> {
  const { ctx, repository } = repoContextFromInputs()
  const write = (line: string) => core.info(line)
  if (core.getInput(input).trim() === '')
    return { ctx, repository, log: createStoreLogger({ log: PLAIN_LOG, write }) }
  const path = readInput(input, CONFIG_PATH)
  const read = await readRepoFile(ctx, path)
  if (!read.found)
    throw new InputError(
      input,
      `${repository} has no file ${path} on its default branch`,
      `Commit the config.yml there (hubstore init writes one), or leave "${input}" empty for gh-store's defaults.`
    )
  const storeConfig = parseStoreConfig(read.file.text, `${repository}:${path}`)
  const token = readInput('token', inputSpecs.requiredString)
  const log = createStoreLogger({ log: storeConfig.log, write })
  const octokit = clientFromInputs(token, {
    ...clientOptionsOf(storeConfig),
    log: (line) => log.warning(line)
  })
  logRequests(octokit, log)
  return { ctx: { ...ctx, octokit, storeConfig }, repository, log }
}

/** The log of a step without config.yml: lines as they are, `INFO` and above. */
const PLAIN_LOG = { level: 'INFO', format: '{message}' } as const
