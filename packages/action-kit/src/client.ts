import * as core from '@actions/core'
import { createGitHubClient, type HubstoreOctokit, type RepoContext } from '@hubstore/core'
import { DURATION_FORMS, parseDurationMs } from '@hubstore/core/github'
import { z } from 'zod'
import { inputSpecs, readInput, type InputSpec } from './inputs.js'

/**
 * Builds hubstore's GitHub client for an action step: masks the token in the log first
 * (`core.setSecret`), then uses the runner's `GITHUB_API_URL` (GitHub Enterprise Server and the
 * emulator work the same way), the `request-timeout` and `max-rate-limit-wait` inputs (empty:
 * core's 30 s and 5 min), and the client's retry and rate-limit lines as `core.info`.
 *
 * @throws {InputError} when `request-timeout` or `max-rate-limit-wait` is not a duration
 */
export function clientFromInputs(token: string): HubstoreOctokit {
  core.setSecret(token)
  return createGitHubClient({
    token,
    baseUrl: process.env.GITHUB_API_URL,
    requestTimeoutMs: readInput('request-timeout', duration),
    throttle: { maxRateLimitWaitMs: readInput('max-rate-limit-wait', duration) },
    log: (line) => core.info(line)
  })
}

/** A duration in seconds or with a unit (`500ms`, `30s`, `5m`), as ms; `''` = the default. */
const duration: InputSpec<number | undefined> = {
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
