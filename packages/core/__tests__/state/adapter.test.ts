import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createGitHubClient } from '../../src/github/client.js'
import {
  AUTOMATION_STATE_SCHEMAS,
  AutoStateAdapter,
  GitStateAdapter,
  VariablesStateAdapter
} from '../../src/automation-state/index.js'
import { createStateStorage } from '../../src/index.js'
import { recordFailure, recordPost } from '../../src/automation-state/index.js'
import { BranchStore } from '../../src/branch-store/branch-store.js'
import { enrichPost, LegacyPostSchema, type PostRecord } from '../../src/automation-state/models.js'
import { RepositoryVariables } from '../../src/automation-state/variables.js'
import { FAST, freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
const BOT = {
  token: 'tok-actions-bot',
  login: 'github-actions[bot]',
  type: 'Bot' as const,
  permission: 'write' as const
}
beforeAll(async () => {
  emulator = await startWorld()
  await emulator.admin.createToken(BOT)
})
afterAll(async () => emulator.close())

const NOW = '2025-04-01T00:00:00.000Z'
const NO_WAIT = { retry: { sleep: async () => undefined } }

function post(position: number): PostRecord {
  return enrichPost(
    LegacyPostSchema.parse({
      position,
      photo_id: `p${position}`,
      instagram_post_id: `ig${position}`,
      posted_at: '2025-01-01T00:00:00Z'
    }),
    'primary',
    NOW
  )
}

async function world() {
  const repo = await freshRepo(emulator)
  const ctx = repo.as('octocat')
  const store = new BranchStore(ctx, { ...NO_WAIT, schemas: AUTOMATION_STATE_SCHEMAS })
  const git = new GitStateAdapter(store, { now: () => NOW })
  const variables = new RepositoryVariables(ctx)
  const legacy = new VariablesStateAdapter(variables, { now: () => NOW })
  return { ...repo, ctx, store, git, variables, legacy }
}

describe('GitStateAdapter', () => {
  it('writePosts: posts.json and the derived metadata.json land in one commit', async () => {
    const { git, store } = await world()
    await git.writeMetadata('primary', '42', { total_photos: 4, workflow_runs_count: 2 })
    const before = await store.head()
    await git.writePosts('primary', '42', [post(2), post(1)])
    const after = await store.head()
    expect(after?.commitSha).not.toBe(before?.commitSha)
    expect((await git.readPosts('primary', '42')).map((p) => p.position)).toEqual([1, 2])
    expect(await git.readMetadata('primary', '42')).toMatchObject({
      album_id: '42',
      total_photos: 4,
      workflow_runs_count: 2,
      posted_count: 2,
      pending_count: 2,
      completion_percentage: 50,
      completion_status: 'in_progress'
    })
  })

  it('writeMetadata: counts passed in are ignored — they are derived from the posts', async () => {
    const { git } = await world()
    await git.writePosts('primary', '7', [post(1)])
    await git.writeMetadata('primary', '7', { total_photos: 1, posted_count: 500, failed_count: 9 })
    expect(await git.readMetadata('primary', '7')).toMatchObject({
      posted_count: 1,
      failed_count: 0,
      completion_status: 'completed'
    })
  })

  it('writePosts: a 1 MB posts.json is written and read back (over the contents API 1 MB limit)', async () => {
    const { git, store } = await world()
    const posts = Array.from({ length: 2600 }, (_, i) => ({
      ...post(i + 1),
      title: `Photo ${i + 1} — ${'golden hour over the harbour '.repeat(3)}`,
      flickr_url: `https://www.flickr.com/photos/someone/${5300000000 + i}/`,
      caption_length: 180,
      hashtags_count: 12
    }))
    await git.writePosts('primary', 'big', posts)
    const text = `${JSON.stringify(posts, null, 2)}\n`
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024)
    const back = await git.readPosts('primary', 'big')
    expect(back).toEqual(posts)
    expect(await git.readMetadata('primary', 'big')).toMatchObject({ posted_count: 2600 })
    // also through REST (contents API with the raw media type)
    const rest = new GitStateAdapter(
      new BranchStore(store.ctx, { readVia: 'rest', schemas: AUTOMATION_STATE_SCHEMAS })
    )
    expect(await rest.readPosts('primary', 'big')).toHaveLength(2600)
  })

  it('enhancedMetadata false: post writes leave metadata.json alone', async () => {
    const { ctx } = await world()
    const git = new GitStateAdapter(new BranchStore(ctx, { schemas: AUTOMATION_STATE_SCHEMAS }), {
      enhancedMetadata: false
    })
    await git.writePosts('primary', '8', [post(1)])
    expect(await git.readMetadata('primary', '8')).toBeNull()
  })

  it('recordFailure then recordPost: attempts and retry history are tracked, the failure cleared', async () => {
    const { git } = await world()
    await recordFailure(
      git,
      'primary',
      '5',
      { position: 3, photo_id: 'p3', error: 'rate limited', workflow_run_id: '11' },
      { now: NOW }
    )
    const second = await recordFailure(
      git,
      'primary',
      '5',
      { position: 3, error: 'timeout' },
      { now: '2025-04-02T00:00:00.000Z' }
    )
    expect(second.failed).toEqual([
      expect.objectContaining({
        position: 3,
        attempts: 2,
        error: 'timeout',
        first_failed_at: NOW,
        last_failed_at: '2025-04-02T00:00:00.000Z'
      })
    ])
    expect(second.posts[0]).toMatchObject({
      status: 'failed',
      retry_count: 2,
      retry_history: [
        { attempt: 1, error: 'rate limited' },
        { attempt: 2, error: 'timeout' }
      ]
    })
    expect(second.metadata).toMatchObject({ failed_count: 1, error_count: 2 })
    const done = await recordPost(
      git,
      'primary',
      '5',
      { position: 3, photo_id: 'p3', instagram_post_id: '178' },
      '2025-04-03T00:00:00.000Z'
    )
    expect(done.failed).toEqual([])
    expect(done.posts[0]).toMatchObject({
      status: 'posted',
      retry_count: 2,
      instagram_post_id: '178'
    })
    expect(done.metadata).toMatchObject({ posted_count: 1, failed_count: 0, error_count: 2 })
  })

  it('recordFailure: without retry tracking only the failed position is kept', async () => {
    const { git } = await world()
    const r = await recordFailure(
      git,
      'primary',
      '6',
      { position: 1, error: 'boom' },
      { retryTracking: false }
    )
    expect(r.posts).toEqual([])
    expect(r.failed).toHaveLength(1)
  })
})

describe('VariablesStateAdapter', () => {
  it('writePosts: the legacy layout — basic fields only, read back enriched', async () => {
    const { legacy, variables } = await world()
    await legacy.writePosts('primary', '42', [post(2), post(1)])
    await legacy.writeFailedPositions('primary', '42', [
      {
        position: 5,
        error: 'x',
        attempts: 1,
        first_failed_at: null,
        last_failed_at: null,
        context: {}
      }
    ])
    expect((await variables.get('PRIMARY_ALBUM_42_POSTS'))?.value).toBe(
      '[{"position":1,"photo_id":"p1","instagram_post_id":"ig1","posted_at":"2025-01-01T00:00:00Z"},' +
        '{"position":2,"photo_id":"p2","instagram_post_id":"ig2","posted_at":"2025-01-01T00:00:00Z"}]'
    )
    expect((await variables.get('PRIMARY_ALBUM_42_FAILED'))?.value).toBe('[5]')
    expect((await legacy.readPosts('primary', '42'))[0]).toMatchObject({
      position: 1,
      status: 'posted',
      retry_count: 0,
      account: 'primary'
    })
    expect(await legacy.readFailedPositions('primary', '42')).toEqual([
      expect.objectContaining({ position: 5, attempts: 1 })
    ])
  })

  it('writePosts: over 48 KB fails with VARIABLE_TOO_LARGE naming the variable, nothing written', async () => {
    const { legacy, git, ctx } = await world()
    const posts = Array.from({ length: 700 }, (_, i) => post(i + 1))
    const writes = ctx.octokit.hubstore.writes
    await expect(legacy.writePosts('secondary', '77', posts)).rejects.toMatchObject({
      code: 'VARIABLE_TOO_LARGE',
      variable: 'SECONDARY_ALBUM_77_POSTS',
      maxBytes: 49152
    })
    await expect(legacy.writePosts('secondary', '77', posts)).rejects.toThrow(
      /Repository variable SECONDARY_ALBUM_77_POSTS would be \d+ bytes/
    )
    expect(ctx.octokit.hubstore.writes - writes).toBe(0)
    // the git backend takes the same album (and far more) without complaint
    await git.writePosts('secondary', '77', posts)
    expect(await git.readPosts('secondary', '77')).toHaveLength(700)
  })

  it('Bot token (GITHUB_TOKEN): VARIABLES_ACCESS_DENIED explains the PAT / vars-json way out', async () => {
    const { owner, repo } = await world()
    const octokit = createGitHubClient({ ...FAST, token: BOT.token, baseUrl: emulator.url })
    const variables = new RepositoryVariables({ octokit, owner, repo })
    await expect(variables.list()).rejects.toMatchObject({
      code: 'VARIABLES_ACCESS_DENIED',
      status: 403
    })
    await expect(variables.list()).rejects.toThrow(/vars-json/)
  })

  it('a wrong token (401): GITHUB_REQUEST_FAILED saying the token is invalid, not a missing permission', async () => {
    const { owner, repo } = await world()
    const octokit = createGitHubClient({ ...FAST, token: 'not-a-token', baseUrl: emulator.url })
    const variables = new RepositoryVariables({ octokit, owner, repo })
    const error: unknown = await variables.list().then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toMatchObject({ code: 'GITHUB_REQUEST_FAILED', status: 401 })
    expect((error as Error).message).toMatch(
      /answered 401.*Check that the token is valid and not expired\./
    )
    expect((error as Error).message).not.toMatch(/Variables|permission|vars-json/)
  })
})

describe('AutoStateAdapter', () => {
  it('parallel writes: every git write is mirrored to the variables', async () => {
    const { git, legacy, variables } = await world()
    const auto = new AutoStateAdapter(git, legacy, {
      parallelWrites: true,
      migrationMode: false,
      fallbackToLegacy: false,
      onWarning: () => undefined
    })
    await recordPost(
      auto,
      'primary',
      '9',
      { position: 1, photo_id: 'a', instagram_post_id: 'i' },
      NOW
    )
    expect((await git.readPosts('primary', '9')).map((p) => p.photo_id)).toEqual(['a'])
    expect(JSON.parse((await variables.get('PRIMARY_ALBUM_9_POSTS'))?.value ?? '[]')).toEqual([
      { position: 1, photo_id: 'a', instagram_post_id: 'i', posted_at: NOW }
    ])
  })

  it('migration mode: an album not yet on the branch is read from, and seeded by, the variables', async () => {
    const { git, legacy, variables } = await world()
    await variables.set(
      'PRIMARY_ALBUM_3_POSTS',
      JSON.stringify([
        { position: 1, photo_id: 'old', instagram_post_id: 'x', posted_at: '2024-01-01T00:00:00Z' }
      ])
    )
    const auto = new AutoStateAdapter(git, legacy, {
      parallelWrites: true,
      migrationMode: true,
      fallbackToLegacy: false,
      onWarning: () => undefined
    })
    expect((await auto.readPosts('primary', '3')).map((p) => p.photo_id)).toEqual(['old'])
    await recordPost(
      auto,
      'primary',
      '3',
      { position: 2, photo_id: 'new', instagram_post_id: 'y' },
      NOW
    )
    expect((await git.readPosts('primary', '3')).map((p) => p.photo_id)).toEqual(['old', 'new'])
    expect(JSON.parse((await variables.get('PRIMARY_ALBUM_3_POSTS'))?.value ?? '[]')).toHaveLength(
      2
    )
  })

  it('fallback: a failing git backend falls back to the variables with a warning', async () => {
    const { legacy, variables, as } = await world()
    const ctx = as('octocat', { retry: { enabled: false } })
    const git = new GitStateAdapter(
      new BranchStore(ctx, { ...NO_WAIT, schemas: AUTOMATION_STATE_SCHEMAS })
    )
    const warnings: string[] = []
    const auto = new AutoStateAdapter(git, legacy, {
      parallelWrites: false,
      migrationMode: false,
      fallbackToLegacy: true,
      onWarning: (w) => warnings.push(w)
    })
    await emulator.admin.addFault({ method: 'POST', route: '/graphql', status: 503, count: 1 })
    await recordPost(
      auto,
      'primary',
      '4',
      { position: 1, photo_id: 'a', instagram_post_id: 'i' },
      NOW
    )
    expect(warnings).toEqual([
      expect.stringMatching(/git backend failed to update primary\/4 .*using repository variables/)
    ])
    expect(await variables.get('PRIMARY_ALBUM_4_POSTS')).toBeDefined()
  })
})

describe('createStateStorage', () => {
  it('settings: environment, then options; the backend asked for is built', async () => {
    const { ctx } = await world()
    const storage = await createStateStorage(ctx, {
      env: { STORAGE_BACKEND: 'repository_variables', STORAGE_BRANCH: 'x' },
      validateOnStartup: false
    })
    expect(storage.backend).toBe('repository_variables')
    expect(storage.config).toMatchObject({ backend: 'repository_variables', branch: 'x' })
    expect(
      (await createStateStorage(ctx, { env: { STORAGE_BACKEND: 'git' }, backend: 'auto' })).backend
    ).toBe('auto')
  })

  it('validation on startup: GITHUB_TOKEN is fine for git, refused for parallel writes to variables', async () => {
    const { owner, repo } = await world()
    const octokit = createGitHubClient({ ...FAST, token: BOT.token, baseUrl: emulator.url })
    const ctx = { octokit, owner, repo }
    await expect(
      createStateStorage(ctx, { env: { STORAGE_BACKEND: 'git' } })
    ).resolves.toMatchObject({ backend: 'git' })
    await expect(
      createStateStorage(ctx, { env: { ENABLE_PARALLEL_WRITES: 'true' } })
    ).rejects.toMatchObject({
      code: 'STATE_STORAGE_CONFIG',
      setting: 'repository_variables backend'
    })
  })
})
