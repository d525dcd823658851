import * as core from '@actions/core'
import { createGitHubClient, type HubstoreOctokit } from '@hubstore/core'

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
