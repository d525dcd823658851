import { createRequire } from 'node:module'

interface ExampleDefinition {
  name: string
  examples: Array<Record<string, unknown> & { action?: string }>
}

/** What an `issues` event needs from the repository it happened in, as the REST API returns them. */
export interface IssuesEventSource {
  /** The issue as `GET /repos/{o}/{r}/issues/{n}` returns it. */
  issue: Record<string, unknown>
  /** The repository as `GET /repos/{o}/{r}` returns it. */
  repository: Record<string, unknown>
  /** The user who caused the event, as `GET /user` returns it. */
  sender: Record<string, unknown>
  /** The API origin the payload's URLs must point at (e.g. the emulator's URL). */
  apiUrl: string
}

/**
 * Builds a real `issues` webhook event payload (`action` = `opened`, `reopened`, …) from the
 * community examples in `@octokit/webhooks-examples`: the example's shape is kept, its `issue`,
 * `repository` and `sender` are replaced by the live objects, every URL left in it is rewritten
 * from api.github.com / github.com to `apiUrl`, and the GitHub App `installation` is dropped
 * (a workflow's event has none).
 *
 * @throws Error when the examples hold no `issues` payload with that action.
 */
export function issuesEventPayload(
  action: string,
  source: IssuesEventSource
): Record<string, unknown> {
  const require = createRequire(import.meta.url)
  const definitions = require('@octokit/webhooks-examples') as ExampleDefinition[]
  const example = definitions
    .find((d) => d.name === 'issues')
    ?.examples.find((e) => e.action === action)
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no "issues" example with action "${action}".`)
  const { installation: _installation, ...shape } = example
  const payload = {
    ...shape,
    issue: source.issue,
    repository: { ...(shape.repository as object), ...source.repository },
    sender: source.sender
  }
  const origin = source.apiUrl.replace(/\/$/, '')
  return JSON.parse(
    JSON.stringify(payload)
      .replaceAll('https://api.github.com', origin)
      .replaceAll('https://github.com', origin)
  ) as Record<string, unknown>
}
