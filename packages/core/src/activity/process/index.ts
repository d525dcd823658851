/** Which handler processes which event (docs/activity-sync.md §3); other events are recorded and skipped. */
import type { Handler } from './context.js'
import { installation, installationRepositories } from './installation.js'
import { issues, pullRequest } from './issues.js'
import { push } from './push.js'
import { repository } from './repository.js'

export const HANDLERS: Readonly<Record<string, Handler>> = {
  installation,
  installation_repositories: installationRepositories,
  repository,
  push,
  issues,
  pull_request: pullRequest
}

/** The events that change rows; a delivery of any other event (`ping` …) is marked processed. */
export const HANDLED_EVENTS = Object.keys(HANDLERS)
