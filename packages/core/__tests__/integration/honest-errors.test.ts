import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  BranchStore,
  createObject,
  incrementSequence,
  peekSequence,
  repositoryFile,
  snapshotInto
} from '../../src/index.js'
import { readRepoFile } from '../../src/github/index.js'
import { createGitHubClient } from '../../src/github/client.js'
import { client, FAST, freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())
afterEach(async () => emulator.admin.clearFaults())

const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const MISSING =
  'Repository octocat/stroe not found, or the token cannot see it (GET /repos/octocat/stroe answered 404). Check the owner and the name for typos; for a private repository use a token that can read it (a fine-grained token must list it, a GitHub App must be installed on it).'

/** `METHOD route status` of every request since the ledger was cleared. */
async function calls(): Promise<string[]> {
  return (await emulator.admin.ledger()).map((e) => `${e.method} ${e.route} ${e.status}`)
}

describe('a 404 on a read: no file, or no repository', () => {
  const stroe = () => ({ octokit: client(emulator, 'octocat'), owner: 'octocat', repo: 'stroe' })

  it('sequence increment on a repository that does not exist: REPOSITORY_NOT_FOUND after one extra GET, nothing written', async () => {
    await emulator.admin.clearLedger()
    await expect(incrementSequence(stroe(), { name: 'invoice' })).rejects.toMatchObject({
      code: 'REPOSITORY_NOT_FOUND',
      repository: 'octocat/stroe',
      message: MISSING
    })
    expect(await calls()).toEqual([`GET ${CONTENTS} 404`, 'GET /repos/{owner}/{repo} 404'])
    await expect(peekSequence(stroe(), { name: 'invoice' })).rejects.toMatchObject({
      code: 'REPOSITORY_NOT_FOUND'
    })
  })

  it('a private repository the token cannot see is reported the same way', async () => {
    const owner = 'octocat'
    const repo = `private-${process.pid}`
    await emulator.admin.createRepo({ full_name: `${owner}/${repo}`, private: true })
    // a token scoped to another repository (a fine-grained token that does not list this one)
    await emulator.admin.createToken({
      token: 'tok-scoped',
      login: 'mallory',
      permission: 'read',
      repos: ['octocat/elsewhere']
    })
    const mallory = {
      octokit: createGitHubClient({ ...FAST, token: 'tok-scoped', baseUrl: emulator.url }),
      owner,
      repo
    }
    await emulator.admin.clearLedger()
    const read = await readRepoFile(mallory, 'data.json').catch((e: unknown) => e)
    expect(read).toMatchObject({
      code: 'REPOSITORY_NOT_FOUND',
      message: expect.stringContaining(
        `Repository ${owner}/${repo} not found, or the token cannot see it`
      )
    })
    expect(await calls()).toEqual([`GET ${CONTENTS} 404`, 'GET /repos/{owner}/{repo} 404'])
  })

  it('a missing file in an existing repository is still "no file yet" (one extra GET on that path only)', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await emulator.admin.clearLedger()
    expect(await readRepoFile(ctx, 'absent.json')).toEqual({ found: false, branchMissing: false })
    expect(await calls()).toEqual([`GET ${CONTENTS} 404`, 'GET /repos/{owner}/{repo} 200'])
    await emulator.admin.putFile(`${owner}/${repo}`, 'present.json', '{}\n')
    await emulator.admin.clearLedger()
    expect(await readRepoFile(ctx, 'present.json')).toMatchObject({ found: true })
    expect(await calls()).toEqual([`GET ${CONTENTS} 200`])
  })

  it.each(['graphql', 'rest'] as const)(
    'state read (readVia %s) of a repository that does not exist: REPOSITORY_NOT_FOUND',
    async (readVia) => {
      const store = new BranchStore(stroe(), { readVia })
      await expect(store.get('nightly/state.json')).rejects.toMatchObject({
        code: 'REPOSITORY_NOT_FOUND',
        message: MISSING
      })
    }
  )
})

describe('snapshot: the real cause when a write cannot land', () => {
  it('an invalid branch name is reported as GitHub refusing the branch, not as another writer', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'a', { n: 1 })
    const error = await snapshotInto(
      ctx,
      repositoryFile(ctx, { path: 'data/store-snapshot.json', branch: 'bad..name' }),
      { mode: 'full' }
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GITHUB_REQUEST_FAILED', status: 422 })
    const message = (error as Error).message
    expect(message).toContain('while trying to create branch "bad..name" from main')
    expect(message).toContain('POST /repos/')
    expect(message).toContain('answered 422 (Reference name is invalid)')
    expect(message).not.toContain('another writer')
    const branches = await ctx.octokit.rest.repos.listBranches({ owner: ctx.owner, repo: ctx.repo })
    expect(branches.data.map((b) => b.name)).toEqual(['main'])
  })

  it('every write answered 500: the last error is reported (status, path decoded), not a conflict', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'a', { n: 1 })
    await emulator.admin.addFault({ method: 'PUT', route: CONTENTS, status: 500, count: 50 })
    const error = await snapshotInto(
      ctx,
      repositoryFile(ctx, {
        path: 'data/store-snapshot.json',
        retry: { maxAttempts: 3, baseMs: 0, maxMs: 0 }
      }),
      { mode: 'full' }
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'GITHUB_REQUEST_FAILED', status: 500 })
    expect((error as Error).message).toMatch(
      new RegExp(
        `^GitHub request failed while trying to write data/store-snapshot\\.json in ${owner}/${repo} \\(3 attempt\\(s\\); nothing of this snapshot was written\\): PUT /repos/${owner}/${repo}/contents/data/store-snapshot\\.json answered 500`
      )
    )
    expect((error as Error).message).not.toContain('another writer')
    expect(await readRepoFile(ctx, 'data/store-snapshot.json')).toMatchObject({ found: false })
  })
})

describe('paths in messages', () => {
  it('a refused write names the path decoded (data/store snapshot.json), not as Octokit encoded it', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('carol')
    const path = 'data/store snapshot.json'
    const error = await snapshotInto(ctx, repositoryFile(ctx, { path }), { mode: 'full' }).catch(
      (e: unknown) => e
    )
    expect(error).toMatchObject({ code: 'GITHUB_REQUEST_FAILED', status: 403 })
    expect((error as { request: string }).request).toBe(
      `PUT /repos/${ctx.owner}/${ctx.repo}/contents/data/store snapshot.json`
    )
    expect((error as Error).message).toContain(
      `PUT /repos/${ctx.owner}/${ctx.repo}/contents/data/store snapshot.json answered 403`
    )
    expect((error as Error).message).not.toMatch(/%2F|%20|%25/)
  })
})

describe('JSON nested too deep', () => {
  const DEEP = '['.repeat(10_000) + ']'.repeat(10_000)

  it('a sequence file with a field nested 10,000 deep: INVALID_SEQUENCE_FILE "too deep" with the limit and the path, nothing written', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    await emulator.admin.putFile(
      `${owner}/${repo}`,
      'sequence_data.json',
      `{"sequences": {"invoice": 1}, "last_updated": "2025-01-01T00:00:00Z", "version": "1.0", "extra": ${DEEP}}`
    )
    const error = await incrementSequence(as('octocat'), { name: 'invoice' }).catch(
      (e: unknown) => e
    )
    expect(error).toMatchObject({ code: 'INVALID_SEQUENCE_FILE' })
    const message = (error as Error).message
    expect(message).toContain(
      `${owner}/${repo}:sequence_data.json (default branch) is not a sequence file: field "extra${'[0]'.repeat(14)}…${'[0]'.repeat(6)}" too deep: the JSON nests deeper than 512 levels, the limit.`
    )
    expect(message).not.toContain('call stack')
    expect(message.length).toBeLessThan(500)
    expect(
      await peekSequence(as('octocat'), { name: 'invoice' }).catch((e: Error) => e.message)
    ).toContain('too deep')
  })

  it('a state document nested 10,000 deep on the branch is refused as too deep (read) and as too deep (write)', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const store = new BranchStore(as('octocat'))
    await store.set('shallow.json', { n: 1 })
    await emulator.admin.putFile(`${owner}/${repo}`, 'deep.json', DEEP, {
      branch: 'automation-state'
    })
    const read = await store.get('deep.json').catch((e: unknown) => e)
    expect(read).toMatchObject({ code: 'INVALID_STATE_DOCUMENT' })
    expect((read as Error).message).toContain(
      `is invalid: field "${'[0]'.repeat(16)}…${'[0]'.repeat(6)}" too deep: the JSON nests deeper than 512 levels, the limit (position 512).`
    )
    const write = await store.set('other.json', JSON.parse(DEEP)).catch((e: unknown) => e)
    expect(write).toMatchObject({ code: 'INVALID_STATE_DOCUMENT', when: 'write' })
    expect((write as Error).message).toContain(
      'too deep: it nests deeper than 512 levels, the limit'
    )
  })
})
