import {
  createGitHubClient,
  createObject,
  getObject,
  updateObject,
  type HubstoreOctokit
} from '@hubstore/core'
import { startEmulator, type LedgerEntry } from '@hubstore/emulator'
import { runActivityDemo, type ActivityDemoResult } from './activity.js'
import { runDataDemo, type DataDemoResult } from './data.js'
import { runMigrationDemo, type MigrationDemoResult } from './migrate.js'
import { runSequenceDemo, type SequenceDemoResult } from './sequence.js'
import { runSnapshotDemo, type SnapshotDemoResult } from './snapshot.js'
import { issuesEventPayload } from '../run-action/payloads.js'
import { runAction, type ActionRun } from '../run-action/run-action.js'

/** The demo's repository and the people in it (tokens exist only inside the emulator). */
export const DEMO = {
  repository: 'octocat/hubstore-demo',
  owner: { login: 'octocat', token: 'demo-owner-token' },
  collaborator: { login: 'hubber', token: 'demo-hubber-token' },
  codeowner: { login: 'jane', token: 'demo-jane-token' },
  outsider: { login: 'mallory', token: 'demo-mallory-token' },
  bot: { login: 'github-actions[bot]', token: 'demo-actions-token' }
} as const

/** What {@link runDemo} did, for printing and for tests. */
export interface DemoResult {
  objectId: string
  issueNumber: number
  run: ActionRun
  finalObject: Record<string, unknown>
  issueState: string
  reactions: Array<{ commentId: number; author: string; body: string; reactions: string[] }>
  /** API requests the action made, from the emulator's ledger. */
  actionRequests: LedgerEntry[]
  /** Step 2: the snapshot action, full then incremental. */
  snapshot: SnapshotDemoResult
  /** Step 3: 8 concurrent runs of increment-sequence. */
  sequence: SequenceDemoResult
  /** Step 4: migrate-state off repository variables. */
  migration: MigrationDemoResult
  /** Step 5: a data directory backed up, changed, backed up, wiped and restored. */
  data: DataDemoResult
  /** Step 6: an App's webhooks into the activity inbox, one dropped, found by the sweep. */
  activity: ActivityDemoResult
}

/**
 * The main jobs on real input, against one embedded emulator, each through its committed bundle:
 * 1. process-updates: a repository with an owner, a write collaborator, a CODEOWNERS user and an
 *    outsider; objects; updates from authorised users, one from the outsider and a malformed one;
 *    the bundle runs on a real `issues`/`reopened` payload and the result is read back;
 * 2. snapshot: full, then incremental after more changes;
 * 3. increment-sequence: 8 concurrent runs get 8 distinct, consecutive numbers;
 * 4. migrate-state: analyze → dry run → migrate → validate, off repository variables;
 * 5. persist-data: a SQLite chat database and a Chroma-like folder backed up, changed, backed up
 *    again (bytes uploaded next to a whole-file copy's), wiped and restored (in-process core);
 * 6. activity sync: an App's signed webhooks into the inbox (one push dropped), the inbox
 *    processed, a sweep that finds the missed push, the jobs and health (in-process core).
 *
 * @param log receives each line to show (default: stdout).
 */
export async function runDemo(
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)
): Promise<DemoResult> {
  const emulator = await startEmulator()
  try {
    log('━━ 1. process-updates: JSON objects in issues, updates as comments')
    const [ownerName, repoName] = DEMO.repository.split('/') as [string, string]
    log(`▶ Emulator listening on ${emulator.url}`)
    await emulator.admin.createRepo({ full_name: DEMO.repository, default_branch: 'main' })
    await emulator.admin.createToken({
      token: DEMO.owner.token,
      login: DEMO.owner.login,
      permission: 'admin'
    })
    await emulator.admin.createToken({
      token: DEMO.collaborator.token,
      login: DEMO.collaborator.login,
      permission: 'write'
    })
    await emulator.admin.createToken({
      token: DEMO.codeowner.token,
      login: DEMO.codeowner.login,
      permission: 'read'
    })
    await emulator.admin.createToken({
      token: DEMO.outsider.token,
      login: DEMO.outsider.login,
      permission: 'read'
    })
    await emulator.admin.createToken({
      token: DEMO.bot.token,
      login: DEMO.bot.login,
      type: 'Bot',
      permission: 'write'
    })
    await emulator.admin.putFile(
      DEMO.repository,
      '.github/CODEOWNERS',
      `# data owners\n* @${DEMO.codeowner.login}\n`
    )
    log(
      `▶ Repository ${DEMO.repository}: owner ${DEMO.owner.login}, collaborator ${DEMO.collaborator.login} (write), ` +
        `${DEMO.codeowner.login} (CODEOWNERS), ${DEMO.outsider.login} (read only)`
    )

    const client = (token: string): HubstoreOctokit =>
      createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
    const as = (token: string) => ({ octokit: client(token), owner: ownerName, repo: repoName })
    const owner = as(DEMO.owner.token)

    const objectId = 'inventory'
    const created = await createObject(owner, objectId, {
      apples: 3,
      pears: { count: 2, ripe: true },
      tags: ['fruit']
    })
    await createObject(owner, 'settings', { theme: 'dark' })
    log(`▶ Created objects "inventory" (issue #${created.meta.issueNumber}) and "settings"`)

    await updateObject(as(DEMO.collaborator.token), objectId, { apples: 5 })
    await updateObject(as(DEMO.codeowner.token), objectId, {
      pears: { ripe: false },
      tags: ['fruit', 'fresh']
    })
    await updateObject(as(DEMO.outsider.token), objectId, { apples: 999 })
    const hubber = client(DEMO.collaborator.token)
    await hubber.rest.issues.createComment({
      owner: ownerName,
      repo: repoName,
      issue_number: created.meta.issueNumber,
      body: '{"_data": '
    })
    await updateObject(as(DEMO.owner.token), objectId, { pears: { count: 4 } })
    log(
      '▶ Queued 5 comments: hubber {apples:5}, jane {pears.ripe:false, tags}, mallory {apples:999}, a malformed one, octocat {pears.count:4}'
    )

    const issue = (
      await owner.octokit.rest.issues.get({
        owner: ownerName,
        repo: repoName,
        issue_number: created.meta.issueNumber
      })
    ).data
    const repository = (await owner.octokit.rest.repos.get({ owner: ownerName, repo: repoName }))
      .data
    const sender = (await owner.octokit.rest.users.getAuthenticated()).data
    const payload = issuesEventPayload('reopened', {
      issue,
      repository,
      sender,
      apiUrl: emulator.url
    })
    log(
      `▶ Issue #${issue.number} is ${issue.state}; running dist/process-updates/index.js on an issues/reopened payload`
    )

    await emulator.admin.clearLedger()
    const run = await runAction({
      name: 'process-updates',
      eventName: 'issues',
      payload,
      repository: DEMO.repository,
      token: DEMO.bot.token,
      apiUrl: emulator.url,
      onLine: (line) => log(`  | ${line}`)
    })
    const actionRequests = await emulator.admin.ledger()

    const final = await getObject(owner, objectId)
    const after = (
      await owner.octokit.rest.issues.get({
        owner: ownerName,
        repo: repoName,
        issue_number: issue.number
      })
    ).data
    const comments = await owner.octokit.paginate(owner.octokit.rest.issues.listComments, {
      owner: ownerName,
      repo: repoName,
      issue_number: issue.number,
      per_page: 100
    })
    const reactions = comments.map((c) => ({
      commentId: Number(c.id),
      author: c.user?.login ?? '?',
      body: (c.body ?? '').replace(/\s+/g, ' ').slice(0, 60),
      reactions: Object.entries(c.reactions ?? {})
        .filter(([k, v]) => k !== 'url' && k !== 'total_count' && typeof v === 'number' && v > 0)
        .map(([k]) => k)
    }))

    log('')
    log(`◀ process-updates exited ${run.exitCode}; outputs: ${JSON.stringify(run.outputs)}`)
    for (const r of reactions)
      log(
        `  comment ${r.commentId} by ${r.author.padEnd(8)} [${r.reactions.join(' ') || '-'}] ${r.body}`
      )
    for (const a of run.annotations.filter((x) => x.level === 'warning'))
      log(`  rejected: ${a.message}`)
    log(`◀ Final "${objectId}" (issue ${after.state}): ${JSON.stringify(final.data)}`)
    const byRoute = new Map<string, number>()
    for (const e of actionRequests)
      byRoute.set(`${e.method} ${e.route}`, (byRoute.get(`${e.method} ${e.route}`) ?? 0) + 1)
    log(`◀ Requests the action spent: ${actionRequests.length}`)
    for (const [route, n] of byRoute) log(`    ${String(n).padStart(3)}  ${route}`)

    log('')
    log('━━ 2. snapshot: every object in one JSON file on the default branch')
    const snapshot = await runSnapshotDemo({
      apiUrl: emulator.url,
      admin: emulator.admin,
      repository: DEMO.repository,
      ownerToken: DEMO.owner.token,
      actionToken: DEMO.bot.token,
      log
    })
    log('')
    log('━━ 3. increment-sequence: 8 workflow runs race for the next delivery-challan number')
    const sequence = await runSequenceDemo(emulator, log)
    log('')
    log('━━ 4. migrate-state: automation state off repository variables, onto a branch')
    const migration = await runMigrationDemo(log, { emulator })
    log('')
    log("━━ 5. persist-data: a chatbot's data directory on a data branch, deduplicated")
    const data = await runDataDemo(emulator, log)
    log('')
    log('━━ 6. activity sync: webhooks into an inbox, a dropped push found by the sweep')
    const activity = await runActivityDemo(emulator, log)
    return {
      data,
      activity,
      snapshot,
      sequence,
      migration,
      objectId,
      issueNumber: Number(issue.number),
      run,
      finalObject: final.data,
      issueState: after.state,
      reactions,
      actionRequests
    }
  } finally {
    await emulator.close()
  }
}
