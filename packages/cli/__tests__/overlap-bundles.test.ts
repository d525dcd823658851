/**
 * Issue 10, acceptance line 1, through the committed bundle: the scheduled sweep
 * (`dist/process-updates/index.js` with `GITHUB_EVENT_NAME=schedule`), event runs (the same
 * bundle on an `issue_comment` payload file) and the CLI (`hubstore process-updates --issue n`),
 * each in its own process and under its own identity, process the same issues at once against
 * one emulator, with latency injected before every request (REST and GraphQL) and a longer pause
 * before each issue read — the pause between listing the comments and reading the issue, where
 * the lost update of the issue happened. In each trial one update is queued before the
 * processors start, one inside that pause of the first processor to reach it, and one at a
 * random moment while they run. The lease (docs/architecture.md §2.3.1) must leave 0 lost
 * updates, 0 applied twice and every update applied in creation order, read back from the issue
 * bodies, the comments' reaction rollups and what each process reported.
 * (packages/core/__tests__/integration/overlap.test.ts and overlap-second.test.ts run 200 such
 * trials in-process; this file runs fewer, since each processor is a Node process.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject, type RepoContext } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { runAction, type ActionRun } from '../src/run-action/run-action.js'

const OBJECTS = 4
const WAVES = 3 // OBJECTS × WAVES = 12 trials (each processor a Node process: ≤ 30 s on a loaded machine)
const REPOSITORY = 'octocat/overlap-bundles'
const [OWNER, REPO] = REPOSITORY.split('/') as [string, string]
const cliBin = fileURLToPath(new URL('../bin/hubstore.js', import.meta.url))
/** Who runs what: the sweep with GITHUB_TOKEN, event runs with a write collaborator's PAT, the CLI as the owner. */
const TOKENS = { owner: 'tok-owner', bot: 'tok-bot', wendy: 'tok-wendy' } as const

let emulator: Emulator
let ctx: RepoContext
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPOSITORY })
  await emulator.admin.createToken({ token: TOKENS.owner, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: TOKENS.wendy, login: 'wendy', permission: 'write' })
  await emulator.admin.createToken({
    token: TOKENS.bot,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
  ctx = {
    octokit: createGitHubClient({
      token: TOKENS.owner,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    }),
    owner: OWNER,
    repo: REPO
  }
})
afterAll(async () => emulator.close())

/** A tiny seeded PRNG (mulberry32), so a failing run can be repeated. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An `issue_comment` / `created` payload: the community example's shape with the live objects. */
function issueCommentPayload(
  issue: Record<string, unknown>,
  comment: Record<string, unknown>,
  sender: Record<string, unknown>
) {
  const require = createRequire(import.meta.url)
  const definitions = require('@octokit/webhooks-examples') as Array<{
    name: string
    examples: Array<Record<string, unknown>>
  }>
  const example = definitions
    .find((d) => d.name === 'issue_comment')!
    .examples.find((e) => e.action === 'created')!
  const { installation: _installation, ...shape } = example
  return { ...shape, issue, comment, sender, repository: { ...(shape.repository as object) } }
}

/** What one processor process reported: applied / rejected per issue, lease waits, success. */
interface Report {
  who: string
  ok: boolean
  perIssue: Array<{ issue: number; applied: number; rejected: number }>
  waits: number
  text: string
}

function fromBundle(who: string, run: ActionRun): Report {
  return {
    who,
    ok: run.exitCode === 0 && run.annotations.length === 0,
    perIssue: [
      ...run.log.matchAll(
        /^(?:\[\d+\/\d+\] )?#(\d+) .+?: (\d+) applied, (\d+) rejected(?: \(so far .*\))?$/gm
      )
    ].map((m) => ({ issue: Number(m[1]), applied: Number(m[2]), rejected: Number(m[3]) })),
    waits: [...run.log.matchAll(/^Waiting for the lease: /gm)].length,
    text: run.log
  }
}

const bundleEnv = () => ({ HUBSTORE_WRITE_SPACING_MS: '0' })

/** The sweep: the bundle on a `schedule` event (no issue in the payload). */
async function sweep(): Promise<Report> {
  const run = await runAction({
    name: 'process-updates',
    eventName: 'schedule',
    payload: { schedule: '*/5 * * * *' },
    repository: REPOSITORY,
    token: TOKENS.bot,
    apiUrl: emulator.url,
    env: bundleEnv(),
    timeoutMs: 60_000
  })
  return fromBundle('sweep', run)
}

/** The `issue_comment` payload of the update comment `commentId` on issue `n`. */
async function commentEvent(n: number, commentId: number) {
  const { octokit } = ctx
  const [issue, comment, sender] = await Promise.all([
    octokit.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: n }),
    octokit.rest.issues.getComment({ owner: OWNER, repo: REPO, comment_id: commentId }),
    octokit.rest.users.getAuthenticated()
  ])
  return issueCommentPayload(issue.data, comment.data, sender.data)
}

/** An event run: the bundle on an `issue_comment` payload of issue `n`. */
async function eventRun(n: number, payload: unknown): Promise<Report> {
  const run = await runAction({
    name: 'process-updates',
    eventName: 'issue_comment',
    payload,
    repository: REPOSITORY,
    token: TOKENS.wendy,
    apiUrl: emulator.url,
    env: bundleEnv(),
    timeoutMs: 60_000
  })
  return fromBundle(`event #${n}`, run)
}

/** `hubstore process-updates --issue n --json` in its own process. */
function cli(n: number): Promise<Report> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliBin, 'process-updates', '--issue', String(n), '--repo', REPOSITORY, '--json'],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          GITHUB_API_URL: emulator.url,
          GITHUB_TOKEN: TOKENS.owner,
          HUBSTORE_WRITE_SPACING_MS: '0'
        }
      },
      (error, stdout, stderr) => {
        const results = error
          ? []
          : (JSON.parse(stdout) as Array<{
              issueNumber: number
              applied: unknown[]
              rejected: unknown[]
              error?: unknown
            }>)
        resolve({
          who: `cli #${n}`,
          ok: !error && results.every((r) => r.error === undefined),
          perIssue: results.map((r) => ({
            issue: r.issueNumber,
            applied: r.applied.length,
            rejected: r.rejected.length
          })),
          waits: [...stderr.matchAll(/^Waiting for the lease: /gm)].length,
          text: `${error?.message ?? ''}\n${stderr}`
        })
      }
    )
  })
}

describe('process-updates bundle + CLI: overlapping processors in separate processes', () => {
  it(`sweep + issue_comment runs + CLI: ${OBJECTS * WAVES} trials, latency at every step — 0 lost, 0 applied twice, creation order`, async () => {
    const random = prng(20261202)
    const issues: number[] = []
    for (let i = 0; i < OBJECTS; i++)
      issues.push((await createObject(ctx, `o${i}`, { seen: {}, last: 0 })).meta.issueNumber)
    const objectOf = new Map(issues.map((n, i) => [n, `o${i}`]))
    const posted = new Map<number, number[]>(issues.map((n) => [n, []])) // issue → k posted
    const commentOf = new Map<number, number>() // comment id → k
    let seq = 0
    const queue = new Map<number, Promise<unknown>>() // issue → its last post
    /**
     * Queues update k of issue n (`updateObject`: a comment, and the issue reopened). Posts to
     * one issue go one at a time, so their k follow the comments' creation order.
     */
    const post = (n: number): Promise<number> => {
      const next = (queue.get(n) ?? Promise.resolve()).then(async () => {
        const k = ++seq
        posted.get(n)!.push(k)
        const { commentId } = await updateObject(ctx, objectOf.get(n)!, {
          seen: { [`u${k}`]: k },
          last: k
        })
        commentOf.set(commentId, k)
        return commentId
      })
      queue.set(n, next)
      return next
    }

    // Latency before every request (0–12 ms), and up to 40 ms before each issue read. In each
    // wave, the first processor to read an issue has an update queued during that pause.
    const inPause = new Set<number>()
    const offs = [
      emulator.onRequest({ pathIncludes: `/repos/${REPOSITORY}/` }, async (request) => {
        const issueRead =
          request.method === 'GET' &&
          request.route === '/repos/{owner}/{repo}/issues/{issue_number}'
        const n = Number(request.params.issue_number)
        if (issueRead && inPause.delete(n)) await post(n)
        await new Promise((r) => setTimeout(r, Math.floor(random() * (issueRead ? 40 : 12))))
      }),
      emulator.onRequest({ pathIncludes: '/graphql' }, async () => {
        await new Promise((r) => setTimeout(r, Math.floor(random() * 12)))
      })
    ]

    const reports: Report[] = []
    /**
     * Each body holds only posted updates, the newest of them last (an older update applied
     * after a newer one would leave `last` below the newest seen); at the end, every one.
     */
    const check = async (final: boolean) => {
      const listed = await ctx.octokit.paginate(ctx.octokit.rest.issues.listForRepo, {
        owner: OWNER,
        repo: REPO,
        state: 'all',
        per_page: 100
      })
      for (const n of issues) {
        const body = JSON.parse(listed.find((i) => i.number === n)!.body ?? '') as {
          seen: Record<string, number>
          last: number
        }
        const seen = Object.values(body.seen)
        const ks = posted.get(n)!
        expect({ n, unknown: seen.filter((k) => !ks.includes(k)), last: body.last }).toEqual({
          n,
          unknown: [],
          last: Math.max(0, ...seen)
        })
        if (final) expect({ n, seen: seen.sort((a, b) => a - b) }).toEqual({ n, seen: ks })
      }
    }

    let trials = 0
    try {
      for (let wave = 0; wave < WAVES; wave++) {
        const payloads = new Map<number, unknown>()
        for (const n of issues) payloads.set(n, await commentEvent(n, await post(n)))
        for (const n of issues) inPause.add(n)
        const runs: Array<Promise<Report>> = [sweep()]
        for (const n of issues) runs.push(eventRun(n, payloads.get(n)))
        runs.push(cli(issues[wave % OBJECTS]!))
        const late = issues.map(async (n) => {
          await new Promise((r) => setTimeout(r, Math.floor(random() * 1_500)))
          await post(n)
        })
        await Promise.all(late)
        reports.push(...(await Promise.all(runs)))
        await check(false)
        trials += OBJECTS
      }
      inPause.clear()
      // A last event-less run per object applies what the last wave left queued.
      reports.push(
        ...(await Promise.all(
          issues.map(async (n) =>
            fromBundle(
              `final #${n}`,
              await runAction({
                name: 'process-updates',
                eventName: 'workflow_dispatch',
                inputs: { 'issue-number': String(n) },
                repository: REPOSITORY,
                token: TOKENS.bot,
                apiUrl: emulator.url,
                env: bundleEnv(),
                timeoutMs: 60_000
              })
            )
          )
        ))
      )
      await check(true)
    } finally {
      for (const off of offs) off()
    }

    expect(reports.filter((r) => !r.ok).map((r) => `${r.who}: ${r.text}`)).toEqual([])
    expect(trials).toBe(OBJECTS * WAVES)
    // 3 updates per trial, each posted once.
    expect(commentOf.size).toBe(OBJECTS * WAVES * 3)
    // Each applied exactly once: the processes' reports add up to what was posted, per issue,
    // and nothing was rejected.
    for (const n of issues) {
      const mine = reports.flatMap((r) => r.perIssue.filter((p) => p.issue === n))
      expect({ n, applied: mine.reduce((s, p) => s + p.applied, 0) }).toEqual({
        n,
        applied: posted.get(n)!.length
      })
      expect({ n, rejected: mine.reduce((s, p) => s + p.rejected, 0) }).toEqual({ n, rejected: 0 })
    }
    // …and every update comment carries one +1 (three identities process, so a second
    // application by another one would show as a second +1) and no confused.
    for (const n of issues) {
      const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
        owner: OWNER,
        repo: REPO,
        issue_number: n,
        per_page: 100
      })
      const updates = comments.filter((c) => commentOf.has(Number(c.id)))
      expect(updates).toHaveLength(posted.get(n)!.length)
      for (const c of updates)
        expect({
          k: commentOf.get(Number(c.id)),
          '+1': c.reactions?.['+1'],
          confused: c.reactions?.confused
        }).toEqual({
          k: commentOf.get(Number(c.id)),
          '+1': 1,
          confused: 0
        })
    }
    // The processors did overlap: some waited for a lease another process held.
    expect(reports.reduce((s, r) => s + r.waits, 0)).toBeGreaterThan(0)
  }, 120_000)
})
