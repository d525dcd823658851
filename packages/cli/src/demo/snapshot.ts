import {
  createGitHubClient,
  createObject,
  deleteObject,
  listObjects,
  processUpdates,
  updateObject,
  type Snapshot
} from '@hubstore/core'
import { readRepoFile } from '@hubstore/core/github'
import { parseSnapshot } from '@hubstore/core/snapshot'
import type { EmulatorAdminClient, LedgerEntry } from '@hubstore/emulator'
import { runAction, type ActionRun } from '../run-action/run-action.js'

/** Where {@link runSnapshotDemo} runs: an emulator whose repository already holds objects. */
export interface SnapshotDemoOptions {
  /** the emulator's URL (`GITHUB_API_URL` of the action step) */
  apiUrl: string
  /** its admin client, to read the request ledger */
  admin: EmulatorAdminClient
  /** `owner/name` */
  repository: string
  /** a token that may create, update and delete objects (the repository owner's) */
  ownerToken: string
  /** the token the action step runs with (`${{ github.token }}`) */
  actionToken: string
  /** the snapshot file (default `data/store-snapshot.json`, the action's default) */
  path?: string
  log?: (line: string) => void
}

/** What {@link runSnapshotDemo} did. */
export interface SnapshotDemoResult {
  full: { run: ActionRun; requests: LedgerEntry[]; snapshot: Snapshot }
  incremental: { run: ActionRun; requests: LedgerEntry[]; snapshot: Snapshot }
  /** what the demo changed between the two runs */
  changes: { created: string; updated?: string; deleted?: string }
}

/**
 * The snapshot step of the demo: runs the committed `dist/snapshot` bundle in `full` mode (a
 * `workflow_dispatch` run), makes more changes (a new object, an update processed, a delete), then
 * runs it in `incremental` mode (a `schedule` run) and reads the committed file back each time.
 */
export async function runSnapshotDemo(options: SnapshotDemoOptions): Promise<SnapshotDemoResult> {
  const log = options.log ?? ((l) => process.stdout.write(`${l}\n`))
  const path = options.path ?? 'data/store-snapshot.json'
  const [owner, repo] = options.repository.split('/') as [string, string]
  const ctx = {
    octokit: createGitHubClient({
      token: options.ownerToken,
      baseUrl: options.apiUrl,
      throttle: { writeSpacingMs: 0 }
    }),
    owner,
    repo
  }
  const step = async (mode: 'full' | 'incremental', eventName: string) => {
    log(`▶ Running dist/snapshot/index.js (mode ${mode}, ${eventName})`)
    await options.admin.clearLedger()
    const run = await runAction({
      name: 'snapshot',
      eventName,
      inputs: { mode, path },
      repository: options.repository,
      token: options.actionToken,
      apiUrl: options.apiUrl,
      onLine: (line) => log(`  | ${line}`)
    })
    const requests = await options.admin.ledger()
    const read = await readRepoFile(ctx, path)
    if (!read.found) throw new Error(`The snapshot action did not commit ${path}.`)
    const snapshot = parseSnapshot(read.file.text, path)
    log(
      `◀ snapshot exited ${run.exitCode}; outputs ${JSON.stringify(run.outputs)}; ` +
        `${requests.length} request(s): ${summarise(requests)}`
    )
    return { run, requests, snapshot }
  }

  const full = await step('full', 'workflow_dispatch')

  const existing = (await listObjects(ctx, { state: 'closed' })).objects.map((o) => o.meta.objectId)
  const created = 'snapshot-demo'
  await createObject(ctx, created, { note: 'created after the full snapshot' })
  const updated = existing[0]
  if (updated) {
    const queued = await updateObject(ctx, updated, { snapshotted: true })
    await processUpdates(ctx, queued.issueNumber)
  }
  const deleted = existing.length > 1 ? existing[existing.length - 1] : undefined
  if (deleted) await deleteObject(ctx, deleted)
  log(
    `▶ More changes: created "${created}"` +
      (updated ? `, updated "${updated}" (processed)` : '') +
      (deleted ? `, deleted "${deleted}"` : '')
  )

  const incremental = await step('incremental', 'schedule')
  return { full, incremental, changes: { created, updated, deleted } }
}

function summarise(entries: LedgerEntry[]): string {
  const counts = new Map<string, number>()
  for (const e of entries)
    counts.set(`${e.method} ${e.route}`, (counts.get(`${e.method} ${e.route}`) ?? 0) + 1)
  return [...counts].map(([route, n]) => `${n}× ${route}`).join(', ')
}
