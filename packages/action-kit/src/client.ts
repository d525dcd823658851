import * as core from '@actions/core'
import { createGitHubClient, type HubstoreOctokit, type RepoContext } from '@hubstore/core'
import { inputSpecs, readInput } from './inputs.js'

/**
 * Builds hubstore's GitHub client for an action step: masks the token in the log first
 * (`core.setSecret`), then uses the runner's `GITHUB_API_URL` (GitHub Enterprise Server and the
 * emulator work the same way).
 */
export function clientFromInputs(token: string): HubstoreOctokit {
  core.setSecret(token)
  return createGitHubClient({ token, baseUrl: process.env.GITHUB_API_URL })
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
