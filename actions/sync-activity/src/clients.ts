import * as core from '@actions/core'
import type { HubstoreOctokit } from '@hubstore/core'
import { activityClients, type ActivityClients } from '@hubstore/core/activity'

/** The clients of a step: the token's always, the App's when `app-id` is given. */
export interface StepClients {
  token: ActivityClients
  app: ActivityClients | undefined
  /** An installation's client when the App is configured and the id known, else the token's. */
  clientFor(installationId: number | null): Promise<HubstoreOctokit>
}

/**
 * Builds the step's clients on the runner's `GITHUB_API_URL`, their retry and rate-limit lines
 * as `core.info`, the private key masked in the log.
 *
 * @throws ActivityAuthError (`ACTIVITY_AUTH_INVALID`) for an empty token, a bad App id or key
 */
export function stepClients(token: string, appId?: string, privateKey?: string): StepClients {
  const base = {
    ...(process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}),
    client: { log: (line: string) => core.info(line) }
  }
  const tokenClients = activityClients({ token, ...base })
  let app: ActivityClients | undefined
  if (appId) {
    core.setSecret(privateKey ?? '')
    // a secret pasted into a single-line variable keeps its line breaks as \n
    app = activityClients({ appId, privateKey: (privateKey ?? '').replace(/\\n/g, '\n'), ...base })
  }
  return {
    token: tokenClients,
    app,
    clientFor: (id) => (app && id !== null ? app.clientFor(id) : tokenClients.clientFor(null))
  }
}
