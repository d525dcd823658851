import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createGitHubClient } from '../../src/github/client.js'
import type { RepoContext } from '../../src/github/context.js'
import { BranchStore } from '../../src/branch-store/branch-store.js'
import { runMigration } from '../../src/automation-state/migrate.js'
import {
  RepositoryVariables,
  variableSourceFromJson
} from '../../src/automation-state/variables.js'
import { FAST, freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
const BOT = {
  token: 'tok-migrate-bot',
  login: 'github-actions[bot]',
  type: 'Bot' as const,
  permission: 'write' as const
}
beforeAll(async () => {
  emulator = await startWorld()
  await emulator.admin.createToken(BOT)
})
afterAll(async () => emulator.close())

const ACCOUNTS = ['PRIMARY', 'SECONDARY', 'TERTIARY']
const NOW = () => new Date('2025-05-01T08:00:00.000Z')

/** The legacy variables of `accounts × albums` albums: a POSTS and a FAILED variable each. */
function legacyVariables(accounts = ACCOUNTS, albums = 10): Record<string, string> {
  const out: Record<string, string> = {}
  for (const account of accounts)
    for (let a = 1; a <= albums; a++) {
      const album = `7215${a}`
      const posts = Array.from({ length: 3 + (a % 4) }, (_, i) => ({
        position: i + 1,
        photo_id: `${account.toLowerCase()}-${album}-${i + 1}`,
        instagram_post_id: i === 0 && a % 5 === 0 ? null : `1790${a}${i}`,
        posted_at: `2024-0${1 + (i % 9)}-1${i % 10}T10:00:00${a % 2 ? '' : '.123456'}`
      }))
      // Byte-identity matters on rollback: vary the JSON spelling (spaces, unicode escapes).
      out[`${account}_ALBUM_${album}_POSTS`] =
        a % 3 === 0
          ? JSON.stringify(posts, null, 1)
          : JSON.stringify(posts).replace('"position"', '"position" ')
      out[`${account}_ALBUM_${album}_FAILED`] =
        a % 2 ? `[${3 + (a % 4) + 1}, ${3 + (a % 4) + 2}]` : '[]'
    }
  return out
}

async function seed(ctx: RepoContext, variables: Record<string, string>): Promise<void> {
  const api = new RepositoryVariables(ctx)
  for (const [name, value] of Object.entries(variables)) await api.create(name, value)
}

/** Counts GraphQL mutations sent by this client (the ledger shows every GraphQL call as a POST). */
function mutationCounter(ctx: RepoContext): { mutations: number } {
  const counter = { mutations: 0 }
  ctx.octokit.hook.before('request', (options) => {
    if (
      String(options.url).endsWith('/graphql') &&
      /^\s*mutation\b/.test(String((options as { query?: unknown }).query))
    )
      counter.mutations += 1
  })
  return counter
}

async function branchSha(ctx: RepoContext, branch = 'automation-state'): Promise<string | null> {
  try {
    return (await ctx.octokit.rest.repos.getBranch({ owner: ctx.owner, repo: ctx.repo, branch }))
      .data.commit.sha
  } catch {
    return null
  }
}

describe('migrate-state: 60 legacy variables (3 accounts × 10 albums × posts/failed)', () => {
  it('analyze → dry run → migrate → validate → edited file → cleanup → rollback', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const original = legacyVariables()
    await seed(ctx, original)
    const mutations = mutationCounter(ctx)
    const options = { now: NOW }

    // analyze: what exists and where it would go
    const analysis = await runMigration(ctx, 'analyze', options)
    expect(analysis.totals).toMatchObject({
      variables: 60,
      mapped: 60,
      invalid: 0,
      unmapped: 0,
      files: 90
    })
    expect(analysis.files.every((f) => f.action === 'create')).toBe(true)
    expect(analysis.variables.find((v) => v.name === 'PRIMARY_ALBUM_72151_POSTS')).toMatchObject({
      path: 'primary-account/album-72151/posts.json',
      kind: 'posts',
      status: 'ok',
      records: 4,
      action: 'create'
    })

    // migrate, dry run (the default): zero writes in the ledger
    await emulator.admin.clearLedger()
    const dry = await runMigration(ctx, 'migrate', options)
    const dryLedger = await emulator.admin.ledger()
    expect(dry).toMatchObject({ dryRun: true, commitSha: null })
    expect(dry.totals.migrated).toBe(60)
    expect(dryLedger.filter((e) => e.method !== 'GET' && e.route !== '/graphql')).toEqual([])
    expect(mutations.mutations).toBe(0)
    expect(dryLedger.map((e) => `${e.method} ${e.route}`)).toEqual([
      'GET /repos/{owner}/{repo}/actions/variables',
      'GET /repos/{owner}/{repo}/actions/variables',
      'POST /graphql'
    ])
    expect(await branchSha(ctx)).toBeNull()

    // migrate for real: one commit holding all 90 files
    await emulator.admin.clearLedger()
    const migrated = await runMigration(ctx, 'migrate', { ...options, dryRun: false })
    expect(migrated.totals).toMatchObject({ migrated: 60, files: 90 })
    const history = await emulator.admin.refHistory(
      `${owner}/${repo}`,
      'refs/heads/automation-state'
    )
    expect(history.map((h) => h.sha)).toEqual([migrated.commitSha])
    const writes = (await emulator.admin.ledger()).filter(
      (e) => e.method !== 'GET' && e.route !== '/graphql'
    )
    expect(writes.map((e) => `${e.method} ${e.route}`)).toEqual([
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/git/commits',
      'POST /repos/{owner}/{repo}/git/refs'
    ])
    expect(migrated.requests).toBe(2 + 1 + 3)

    const store = new BranchStore(ctx)
    const posts = (
      await store.get<Array<Record<string, unknown>>>('secondary-account/album-72153/posts.json')
    )?.value
    expect(posts?.[0]).toMatchObject({
      position: 1,
      photo_id: 'secondary-72153-1',
      status: 'posted',
      account: 'secondary',
      retry_count: 0
    })
    expect((await store.get('primary-account/album-72151/metadata.json'))?.value).toMatchObject({
      album_id: '72151',
      posted_count: 4,
      failed_count: 2,
      error_count: 2
    })

    // migrating again changes nothing and makes no commit
    const again = await runMigration(ctx, 'migrate', { ...options, dryRun: false })
    expect(again.commitSha).toBeNull()
    expect(again.variables.every((v) => v.action === 'unchanged')).toBe(true)

    // validate: every variable matches its file
    const valid = await runMigration(ctx, 'validate', options)
    expect(valid.totals).toMatchObject({ mismatches: 0, migrated: 60 })

    // someone edits one migrated file: validate names it, cleanup keeps that variable
    await store.update(['primary-account/album-72153/posts.json'], (docs) => {
      const list = docs['primary-account/album-72153/posts.json'] as Array<Record<string, unknown>>
      list[1] = { ...list[1], photo_id: 'edited-by-hand' }
      return { write: { 'primary-account/album-72153/posts.json': list } }
    })
    const invalid = await runMigration(ctx, 'validate', options)
    expect(invalid.totals.mismatches).toBe(1)
    expect(
      invalid.variables.find((v) => v.name === 'PRIMARY_ALBUM_72153_POSTS')?.mismatches
    ).toEqual([
      'position 2: photo_id is "edited-by-hand" in the file, "primary-72153-2" in the variable'
    ])

    const cleanupDry = await runMigration(ctx, 'cleanup', options)
    expect(cleanupDry).toMatchObject({
      dryRun: true,
      commitSha: null,
      backupPath: 'backups/variables-2025-05-01T08-00-00-000Z.json'
    })
    expect(cleanupDry.variables.filter((v) => v.outcome === 'would_delete')).toHaveLength(59)
    expect((await new RepositoryVariables(ctx).list()).length).toBe(60)

    const cleanup = await runMigration(ctx, 'cleanup', { ...options, dryRun: false })
    expect(cleanup.totals).toMatchObject({ deleted: 59, mismatches: 1 })
    expect(cleanup.backupPath).toBe('backups/variables-2025-05-01T08-00-00-000Z.json')
    expect(cleanup.variables.find((v) => v.name === 'PRIMARY_ALBUM_72153_POSTS')).toMatchObject({
      outcome: 'kept'
    })
    const left = await new RepositoryVariables(ctx).list()
    expect(left.map((v) => v.name)).toEqual(['PRIMARY_ALBUM_72153_POSTS'])
    const backup = (
      await store.get<{ variables: Array<{ name: string; value: string }> }>(
        cleanup.backupPath as string
      )
    )?.value
    expect(backup?.variables).toHaveLength(60)
    expect(Object.fromEntries((backup?.variables ?? []).map((v) => [v.name, v.value]))).toEqual(
      original
    )

    // rollback: every deleted variable comes back byte-identical
    const rollback = await runMigration(ctx, 'rollback', { ...options, dryRun: false })
    expect(rollback.totals.restored).toBe(59)
    expect(rollback.variables.find((v) => v.name === 'PRIMARY_ALBUM_72153_POSTS')?.outcome).toBe(
      'unchanged'
    )
    const restored = await new RepositoryVariables(ctx).list()
    expect(Object.fromEntries(restored.map((v) => [v.name, v.value]))).toEqual(original)
  }, 120_000)
})

describe('migrate-state: edge cases', () => {
  it('vars-json: a GITHUB_TOKEN-class token migrates from ${{ toJSON(vars) }} without the variables API', async () => {
    const { owner, repo } = await freshRepo(emulator)
    const octokit = createGitHubClient({ ...FAST, token: BOT.token, baseUrl: emulator.url })
    const ctx = { octokit, owner, repo }
    const vars = legacyVariables(['PRIMARY'], 2)
    const source = variableSourceFromJson(JSON.stringify({ ...vars, DEPLOY_ENV: 'prod' }))
    const report = await runMigration(ctx, 'migrate', { source, dryRun: false, now: NOW })
    expect(report).toMatchObject({
      source: 'json',
      totals: { variables: 5, migrated: 4, unmapped: 1, files: 6 }
    })
    expect((await runMigration(ctx, 'validate', { source, now: NOW })).totals.mismatches).toBe(0)
    // reading the variables API itself is what GITHUB_TOKEN cannot do
    await expect(runMigration(ctx, 'analyze', { now: NOW })).rejects.toMatchObject({
      code: 'VARIABLES_ACCESS_DENIED'
    })
  })

  it('bad values: invalid JSON and wrong shapes are reported, not migrated, and kept by cleanup', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await seed(ctx, {
      PRIMARY_ALBUM_1_POSTS:
        '[{"position":1,"photo_id":"a","instagram_post_id":"b","posted_at":"2024-01-01T00:00:00Z"}]',
      PRIMARY_ALBUM_2_POSTS: '[{"position":1,',
      PRIMARY_ALBUM_3_FAILED: '{"not":"an array"}',
      OTHER_SETTING: 'x'
    })
    const analysis = await runMigration(ctx, 'analyze', { now: NOW })
    expect(analysis.totals).toMatchObject({ variables: 4, mapped: 3, invalid: 2, unmapped: 1 })
    expect(analysis.variables.find((v) => v.name === 'PRIMARY_ALBUM_2_POSTS')).toMatchObject({
      status: 'invalid_json'
    })
    expect(analysis.variables.find((v) => v.name === 'PRIMARY_ALBUM_3_FAILED')?.problem).toMatch(
      /expected an array of positions/
    )
    await runMigration(ctx, 'migrate', { dryRun: false, now: NOW })
    const cleanup = await runMigration(ctx, 'cleanup', { dryRun: false, now: NOW })
    expect(cleanup.totals.deleted).toBe(1)
    expect((await new RepositoryVariables(ctx).list()).map((v) => v.name)).toEqual([
      'OTHER_SETTING',
      'PRIMARY_ALBUM_2_POSTS',
      'PRIMARY_ALBUM_3_FAILED'
    ])
  })

  it('existing files: migrate merges by position — the file wins, nothing is overwritten', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await seed(ctx, {
      PRIMARY_ALBUM_9_POSTS: JSON.stringify([
        {
          position: 1,
          photo_id: 'legacy-1',
          instagram_post_id: 'i1',
          posted_at: '2024-01-01T00:00:00Z'
        },
        {
          position: 2,
          photo_id: 'legacy-2',
          instagram_post_id: 'i2',
          posted_at: '2024-01-02T00:00:00Z'
        }
      ])
    })
    const store = new BranchStore(ctx)
    const newer = {
      position: 2,
      photo_id: 'newer-2',
      instagram_post_id: 'n2',
      posted_at: '2025-01-02T00:00:00Z',
      title: 'from the new automation',
      status: 'posted',
      retry_count: 0,
      retry_history: [],
      workflow_run_id: '77',
      account: 'primary',
      created_at: '2025-01-02T00:00:00Z',
      last_update: '2025-01-02T00:00:00Z',
      flickr_url: null,
      instagram_url: null,
      caption_length: 120,
      hashtags_count: 9
    }
    await store.set('primary-account/album-9/posts.json', [
      { ...newer, position: 3, photo_id: 'newer-3' },
      newer
    ])
    const report = await runMigration(ctx, 'migrate', { dryRun: false, now: NOW })
    expect(report.variables[0].action).toBe('merge')
    const posts = (
      await store.get<Array<{ position: number; photo_id: string }>>(
        'primary-account/album-9/posts.json'
      )
    )?.value
    expect(posts?.map((p) => [p.position, p.photo_id])).toEqual([
      [1, 'legacy-1'],
      [2, 'newer-2'],
      [3, 'newer-3']
    ])
    // the variable's position 2 is not in the file as it was: validate says so, cleanup keeps it
    expect((await runMigration(ctx, 'validate', { now: NOW })).totals.mismatches).toBe(1)
  })

  it('mapping: custom rules; a JSON document that differs on the branch is left alone', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await seed(ctx, {
      PRIMARY_SETTINGS: '{"hashtags": 12}',
      FEATURE_FLAGS: '["a"]',
      CAPTIONS: '"hello"'
    })
    await new BranchStore(ctx).set('shared/captions.json', 'changed on the branch')
    const mapping = JSON.stringify({
      rules: [
        {
          pattern: '{account}_SETTINGS',
          path: '{account:lower}-account/global/config.json',
          kind: 'config'
        },
        { pattern: 'FEATURE_*', path: 'shared/features.json' },
        { pattern: 'CAPTIONS', path: 'shared/captions.json' }
      ]
    })
    const report = await runMigration(ctx, 'migrate', { mapping, dryRun: false, now: NOW })
    expect(Object.fromEntries(report.variables.map((v) => [v.name, v.action]))).toEqual({
      CAPTIONS: 'conflict',
      FEATURE_FLAGS: 'create',
      PRIMARY_SETTINGS: 'create'
    })
    const store = new BranchStore(ctx)
    expect((await store.get('primary-account/global/config.json'))?.value).toEqual({ hashtags: 12 })
    expect((await store.get('shared/captions.json'))?.value).toBe('changed on the branch')
    const validate = await runMigration(ctx, 'validate', { mapping, now: NOW })
    expect(validate.variables.filter((v) => v.mismatches?.length).map((v) => v.name)).toEqual([
      'CAPTIONS'
    ])
  })

  it('rollback: without a backup on the branch it is BACKUP_NOT_FOUND', async () => {
    const { as } = await freshRepo(emulator)
    await expect(runMigration(as('octocat'), 'rollback')).rejects.toMatchObject({
      code: 'BACKUP_NOT_FOUND'
    })
  })

  it('cleanup: a variable changed after it was listed is kept (it is newer than its file)', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const vars = legacyVariables(['PRIMARY'], 1)
    await seed(ctx, vars)
    await runMigration(ctx, 'migrate', { dryRun: false, now: NOW })
    const api = new RepositoryVariables(ctx)
    // A source that lists the old values while the automation has since written a new one.
    const stale = variableSourceFromJson(vars)
    await api.set('PRIMARY_ALBUM_72151_POSTS', '[]')
    const report = await runMigration(ctx, 'cleanup', { source: stale, dryRun: false, now: NOW })
    expect(report.variables.find((v) => v.name === 'PRIMARY_ALBUM_72151_POSTS')).toMatchObject({
      outcome: 'kept',
      reason: 'changed since it was read'
    })
    expect(report.totals.deleted).toBe(1)
  })
})
