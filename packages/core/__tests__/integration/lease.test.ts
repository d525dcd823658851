import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  isHubstoreError,
  processUpdates,
  updateObject,
  type CasEvent
} from '../../src/index.js'
import {
  EMPTY_TREE_SHA,
  LEASE_DEFAULTS,
  leaseMessage,
  leaseRef,
  ObjectLeases,
  parseLeaseMessage
} from '../../src/objects/lease.js'
import { freshRepo, readIssue, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const T0 = Date.parse('2026-12-02T06:00:00Z')

async function queuedObject() {
  const { as } = await freshRepo(emulator)
  const ctx = as('octocat')
  const n = (await createObject(ctx, 'leased', { v: 0 })).meta.issueNumber
  await updateObject(ctx, 'leased', { v: 1 })
  return { ctx, n }
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (isHubstoreError(error)) return error
    throw error
  }
  throw new Error('expected a hubstore error')
}

describe('processUpdates: the object lease', () => {
  it('lease: a live holder makes the run wait with logged backoff, then fail naming the object, the holder and its expiry; nothing is written', async () => {
    const { ctx, n } = await queuedObject()
    const other = new ObjectLeases(ctx, { holder: 'sweep-run-7', now: () => T0 })
    await other.acquire(n)
    const events: CasEvent[] = []
    const waits: number[] = []
    const error = await failure(
      processUpdates(ctx, n, {
        lease: {
          now: () => T0 + 1_000,
          wait: {
            maxAttempts: 4,
            baseMs: 100,
            random: () => 0.5,
            sleep: async (ms) => void waits.push(ms),
            onEvent: (e) => events.push(e)
          }
        }
      })
    )
    expect(error).toMatchObject({
      code: 'OBJECT_PROCESSING_CONFLICT',
      reason: 'lease-held',
      issueNumber: n,
      holder: 'sweep-run-7',
      expiresAt: new Date(T0 + LEASE_DEFAULTS.durationMs).toISOString()
    })
    expect(error.message).toContain(`Issue #${n} is being processed by sweep-run-7`)
    expect(waits).toEqual([50, 100, 200])
    expect(events.filter((e) => e.type === 'conflict')).toHaveLength(4)
    const issue = await readIssue(ctx, n)
    expect([issue.state, JSON.parse(issue.body ?? '')]).toEqual(['open', { v: 0 }])
  })

  it('lease: a crashed holder blocks only until its lease expires; the next run takes it over and applies the update', async () => {
    const { ctx, n } = await queuedObject()
    await new ObjectLeases(ctx, { holder: 'crashed', now: () => T0 }).acquire(n) // never released
    const result = await processUpdates(ctx, n, {
      lease: { now: () => T0 + LEASE_DEFAULTS.durationMs, wait: { maxAttempts: 1 } }
    })
    expect(result.data).toEqual({ v: 1 })
    const after = await new ObjectLeases(ctx).read(n)
    expect(after).toMatchObject({ kind: 'present', status: 'released' })
  })

  it('lease: a run that renews when half the duration is gone, and releases; the lease ref is no branch', async () => {
    const { ctx, n } = await queuedObject()
    let now = T0
    const ledgerStart = (await emulator.admin.ledger()).length
    // the clock jumps 70 s at the issue read, so the lease (120 s) is due for renewal before the PATCH
    const off = emulator.onRequest(
      { method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', times: 1 },
      () => void (now += 70_000)
    )
    const result = await processUpdates(ctx, n, { lease: { holder: 'renewer', now: () => now } })
    off()
    expect(result.data).toEqual({ v: 1 })
    const routes = (await emulator.admin.ledger())
      .slice(ledgerStart)
      .map((e) => `${e.method} ${e.route}`)
    expect(routes.filter((r) => r === 'POST /repos/{owner}/{repo}/git/commits')).toHaveLength(3)
    const branches = await ctx.octokit.rest.repos.listBranches({ owner: ctx.owner, repo: ctx.repo })
    expect(branches.data.map((b) => b.name)).toEqual(['main'])
  })

  it('lease: a run whose lease was taken over while it worked fails with lease-lost, naming the new holder', async () => {
    const { ctx, n } = await queuedObject()
    // While the run reads the issue, another processor force-moves the lease to itself.
    const off = emulator.onRequest(
      { method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', times: 1 },
      async () => {
        const { owner, repo, octokit } = ctx
        const until = T0 + LEASE_DEFAULTS.durationMs
        const { data } = await octokit.rest.git.createCommit({
          owner,
          repo,
          message: leaseMessage(n, 'intruder', 'held', until),
          tree: EMPTY_TREE_SHA,
          parents: []
        })
        await octokit.rest.git.updateRef({
          owner,
          repo,
          ref: leaseRef(n),
          sha: data.sha,
          force: true
        })
      }
    )
    const error = await failure(processUpdates(ctx, n, { lease: { now: () => T0 } }))
    off()
    expect(error).toMatchObject({
      code: 'OBJECT_PROCESSING_CONFLICT',
      reason: 'lease-lost',
      holder: 'intruder'
    })
  })

  it('lease: messages round-trip; a ref whose commit is not a hubstore lease is free and is taken over by fast-forward', async () => {
    expect(parseLeaseMessage(leaseMessage(5, 'run-1', 'held', T0))).toEqual({
      status: 'held',
      holder: 'run-1',
      expiresAtMs: T0
    })
    expect(parseLeaseMessage('Initial commit')).toEqual({ status: 'unreadable' })
    const { ctx, n } = await queuedObject()
    const { owner, repo, octokit } = ctx
    const { data } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: 'something else',
      tree: EMPTY_TREE_SHA,
      parents: []
    })
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/${leaseRef(n)}`, sha: data.sha })
    expect((await processUpdates(ctx, n)).data).toEqual({ v: 1 })
    const { data: commit } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: (await octokit.rest.git.getRef({ owner, repo, ref: leaseRef(n) })).data.object.sha
    })
    expect(parseLeaseMessage(commit.message)).toMatchObject({ status: 'released' })
  })
})
