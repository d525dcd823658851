import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { z } from 'zod'
import { BranchStore, type BranchStoreOptions } from '../../src/branch-store/branch-store.js'
import { freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const NO_WAIT = { retry: { sleep: async () => undefined } }

async function storeOn(options: BranchStoreOptions = {}) {
  const repo = await freshRepo(emulator)
  const ctx = repo.as('octocat')
  return { ...repo, ctx, store: new BranchStore(ctx, { ...NO_WAIT, ...options }) }
}

const TRANSPORTS = [
  ['graphql', 'graphql'],
  ['graphql', 'git-data'],
  ['rest', 'graphql'],
  ['rest', 'git-data']
] as const

describe('BranchStore: documents', () => {
  it.each(TRANSPORTS)(
    'get/set/merge/delete: round trip (read via %s, commit via %s)',
    async (readVia, commitVia) => {
      const { store } = await storeOn({ readVia, commitVia })
      expect(await store.get('a/b.json')).toBeUndefined()
      const set = await store.set('a/b.json', { count: 1, tags: ['x'] })
      expect(set).toMatchObject({ attempts: 1, changed: ['a/b.json'] })
      expect((await store.get('a/b.json'))?.value).toEqual({ count: 1, tags: ['x'] })
      const merged = await store.merge('a/b.json', { count: 2, tags: null, extra: { y: true } })
      expect(merged.value).toEqual({ count: 2, extra: { y: true } })
      expect((await store.get('a/b.json'))?.value).toEqual({ count: 2, extra: { y: true } })
      expect(await store.delete('a/b.json')).toMatchObject({ existed: true, changed: ['a/b.json'] })
      expect(await store.get('a/b.json')).toBeUndefined()
      expect(await store.delete('a/b.json')).toMatchObject({ existed: false, commitSha: null })
    }
  )

  it('set: a value equal to the stored one makes no commit and no write', async () => {
    const { store, ctx } = await storeOn()
    await store.set('x.json', { a: 1 })
    const writes = ctx.octokit.hubstore.writes
    const again = await store.set('x.json', { a: 1 })
    expect(again.commitSha).toBeNull()
    // the one GraphQL query (a POST) is the only non-GET request
    expect(ctx.octokit.hubstore.writes - writes).toBe(1)
    expect(again.requests).toBe(1)
  })

  it('setMany: several files land in ONE commit whose parent is the head read', async () => {
    const { store, ctx, owner, repo } = await storeOn()
    const first = await store.set('seed.json', 0)
    const result = await store.setMany({ 'a.json': 1, 'dir/b.json': 2, 'dir/deep/c.json': 3 })
    expect(result.changed).toHaveLength(3)
    const { data: commit } = await ctx.octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: result.commitSha as string
    })
    expect(commit.parents.map((p) => p.sha)).toEqual([first.commitSha])
    const history = await emulator.admin.refHistory(
      `${owner}/${repo}`,
      'refs/heads/automation-state'
    )
    expect(history.map((h) => h.sha)).toEqual([first.commitSha, result.commitSha])
    const docs = await store.getMany(['a.json', 'dir/b.json', 'dir/deep/c.json', 'seed.json'])
    expect([...docs.values()].map((d) => d.value)).toEqual([1, 2, 3, 0])
  })

  it('update: the cost of a change on an existing branch is 1 query + 1 mutation', async () => {
    const { store } = await storeOn()
    await store.set('c.json', 1)
    await emulator.admin.clearLedger()
    const r = await store.update(['c.json', 'd.json'], (docs) => ({
      write: { 'c.json': (docs['c.json'] as number) + 1, 'd.json': 1 }
    }))
    const ledger = await emulator.admin.ledger()
    expect(ledger.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /graphql 200',
      'POST /graphql 200'
    ])
    expect(r.requests).toBe(2)
  })
})

describe('BranchStore: many files', () => {
  it('getMany: 250 files at one commit in 3 queries (100 per query)', async () => {
    const { store } = await storeOn()
    const docs: Record<string, unknown> = {}
    for (let i = 0; i < 250; i++) docs[`files/f${i}.json`] = { i }
    const r = await store.setMany(docs)
    await emulator.admin.clearLedger()
    const found = await store.getMany([...Object.keys(docs), 'files/absent.json'])
    expect(found.size).toBe(250)
    expect(found.get('files/f249.json')).toEqual({
      path: 'files/f249.json',
      value: { i: 249 },
      commitSha: r.commitSha
    })
    expect((await emulator.admin.ledger()).map((e) => e.route)).toEqual([
      '/graphql',
      '/graphql',
      '/graphql'
    ])
  })
})

describe('BranchStore: branch creation', () => {
  it('orphan: the first write creates a root commit holding only the written files', async () => {
    const { store, ctx, owner, repo } = await storeOn()
    const r = await store.set('state.json', { v: 1 })
    const { data: commit } = await ctx.octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: r.commitSha as string
    })
    expect(commit.parents).toEqual([])
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner,
      repo,
      tree_sha: commit.tree.sha,
      recursive: 'true'
    })
    expect(tree.tree.map((e) => e.path)).toEqual(['state.json'])
  })

  it('default-branch: the branch starts at the default branch head', async () => {
    const { store, ctx, owner, repo } = await storeOn({
      createBranch: 'default-branch',
      branch: 'state/v1'
    })
    await emulator.admin.putFile(`${owner}/${repo}`, 'code.txt', 'hello\n')
    const { data: main } = await ctx.octokit.rest.repos.getBranch({ owner, repo, branch: 'main' })
    const r = await store.set('state.json', { v: 1 })
    const { data: commit } = await ctx.octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: r.commitSha as string
    })
    expect(commit.parents.map((p) => p.sha)).toEqual([main.commit.sha])
    expect(
      (await ctx.octokit.rest.repos.getBranch({ owner, repo, branch: 'state/v1' })).data.commit.sha
    ).toBe(r.commitSha)
  })

  it('createBranch false: STATE_BRANCH_NOT_FOUND and nothing written', async () => {
    const { store, ctx } = await storeOn({ createBranch: false })
    const writes = ctx.octokit.hubstore.writes
    await expect(store.set('x.json', 1)).rejects.toMatchObject({
      code: 'STATE_BRANCH_NOT_FOUND',
      branch: 'automation-state'
    })
    expect(ctx.octokit.hubstore.writes - writes).toBe(1) // the read query only
  })

  it('orphan: two first writers racing both land (the loser re-reads the new branch)', async () => {
    const { as } = await storeOn()
    const a = new BranchStore(as('octocat'), NO_WAIT)
    const b = new BranchStore(as('octocat'), NO_WAIT)
    await Promise.all([a.merge('s.json', { a: 1 }), b.merge('s.json', { b: 1 })])
    expect((await a.get('s.json'))?.value).toEqual({ a: 1, b: 1 })
  })
})

describe('BranchStore: compare-and-swap', () => {
  it.each(['graphql', 'git-data'] as const)(
    'update (%s): a head moved by another writer is re-read and the change re-applied',
    async (commitVia) => {
      const { store, as } = await storeOn({ commitVia })
      const other = new BranchStore(as('octocat'), NO_WAIT)
      await store.set('list.json', ['seed'])
      const seen: unknown[] = []
      const r = await store.update(['list.json'], async (docs, { attempt }) => {
        seen.push(docs['list.json'])
        if (attempt === 1)
          await other.update(['list.json'], (d) => ({
            write: { 'list.json': [...(d['list.json'] as string[]), 'other'] }
          }))
        return { write: { 'list.json': [...(docs['list.json'] as string[]), 'mine'] } }
      })
      expect(r.attempts).toBe(2)
      expect(seen).toEqual([['seed'], ['seed', 'other']])
      expect((await store.get('list.json'))?.value).toEqual(['seed', 'other', 'mine'])
    }
  )

  it('update: a conflict costs exactly one write request (no automatic retry of the CAS write)', async () => {
    const { store, as } = await storeOn({ commitVia: 'git-data' })
    const other = new BranchStore(as('octocat'), { ...NO_WAIT, commitVia: 'git-data' })
    await store.set('n.json', 0)
    await emulator.admin.clearLedger()
    await store.update(['n.json'], async (docs, { attempt }) => {
      if (attempt === 1) await other.set('n.json', 100)
      return { write: { 'n.json': (docs['n.json'] as number) + 1 } }
    })
    const refMoves = (await emulator.admin.ledger()).filter((e) => e.method === 'PATCH')
    // other's move, our rejected move (422 not a fast forward), our second move
    expect(refMoves.map((e) => e.status)).toEqual([200, 422, 200])
    expect((await store.get('n.json'))?.value).toBe(101)
  })

  it('update: bounded — STATE_CONFLICT after maxAttempts, waiting with full jitter between', async () => {
    const waits: number[] = []
    const { store, as } = await storeOn({
      retry: {
        maxAttempts: 3,
        baseMs: 100,
        maxMs: 1000,
        random: () => 0.5,
        sleep: async (ms) => void waits.push(ms)
      }
    })
    const other = new BranchStore(as('octocat'), NO_WAIT)
    await store.set('hot.json', 0)
    let n = 0
    await expect(
      store.update(['hot.json'], async () => {
        await other.set('hot.json', ++n)
        return { write: { 'hot.json': -1 } }
      })
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT', attempts: 3, paths: ['hot.json'] })
    expect(waits).toEqual([50, 100])
    expect((await store.get('hot.json'))?.value).toBe(3)
  })

  it.each(['graphql', 'git-data'] as const)(
    'update (%s): a lost answer (5xx after the write applied) is resolved by reading back — one commit',
    async (commitVia) => {
      const { store, owner, repo } = await storeOn({ commitVia })
      await store.set('k.json', 1)
      const route = commitVia === 'graphql' ? '/graphql' : '/repos/{owner}/{repo}/git/refs/{ref}'
      const method = commitVia === 'graphql' ? 'POST' : 'PATCH'
      const r = await store.update(['k.json'], async (_docs, { attempt }) => {
        if (attempt === 1)
          await emulator.admin.addFault({ method, route, status: 502, count: 1, when: 'after' })
        return { write: { 'k.json': 2 } }
      })
      expect(r.attempts).toBe(1)
      const history = await emulator.admin.refHistory(
        `${owner}/${repo}`,
        'refs/heads/automation-state'
      )
      expect(history).toHaveLength(2)
      expect(history[1].sha).toBe(r.commitSha)
      expect((await store.get('k.json'))?.value).toBe(2)
    }
  )
})

describe('BranchStore: validation', () => {
  const schemas = { 'counters/*.json': z.object({ n: z.number().int() }) }

  it('schemas: a value failing its schema is refused before any write', async () => {
    const { store, ctx } = await storeOn({ schemas })
    const writes = ctx.octokit.hubstore.writes
    await expect(store.set('counters/a.json', { n: 'one' })).rejects.toMatchObject({
      code: 'INVALID_STATE_DOCUMENT',
      path: 'counters/a.json',
      field: 'n',
      when: 'write'
    })
    expect(ctx.octokit.hubstore.writes - writes).toBe(1) // the read query only
    await store.set('other.json', { n: 'anything' }) // no schema for this path
  })

  it('schemas: a stored document failing its schema is reported on read with the field', async () => {
    const { store, as } = await storeOn({ schemas })
    await new BranchStore(as('octocat'), NO_WAIT).set('counters/b.json', { n: 1.5 })
    await expect(store.get('counters/b.json')).rejects.toMatchObject({
      code: 'INVALID_STATE_DOCUMENT',
      field: 'n',
      when: 'read'
    })
  })

  it('get: a file that is not JSON is INVALID_STATE_DOCUMENT naming the path', async () => {
    const { store, owner, repo } = await storeOn()
    await store.set('ok.json', 1)
    await emulator.admin.putFile(`${owner}/${repo}`, 'broken.json', '{"a":', {
      branch: 'automation-state'
    })
    await expect(store.get('broken.json')).rejects.toThrow(
      /broken\.json on branch automation-state .* is invalid: not JSON/
    )
  })

  it('merge: keys named __proto__, constructor and prototype are kept and merged, no prototype is touched (docs/gh-store-format.md §1.8)', async () => {
    const { store } = await storeOn()
    await store.set(
      'f1.json',
      JSON.parse('{"constructor": {"name": "Ferrari"}, "__proto__": {"a": 1}}')
    )
    const merged = await store.merge(
      'f1.json',
      JSON.parse('{"__proto__": {"polluted": true}, "prototype": {"polluted": true}}')
    )
    const expected =
      '{"constructor":{"name":"Ferrari"},"__proto__":{"a":1,"polluted":true},"prototype":{"polluted":true}}'
    expect(JSON.stringify(merged.value)).toBe(expected)
    expect(JSON.stringify((await store.get('f1.json'))?.value)).toBe(expected)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('get / set: a number a double cannot hold is INVALID_STATE_DOCUMENT naming the field; NaN is refused before any write', async () => {
    const { store, owner, repo } = await storeOn()
    await store.set('ok.json', 1)
    await emulator.admin.putFile(
      `${owner}/${repo}`,
      'huge.json',
      '{"posts":[{"id":12345678901234567890}]}',
      {
        branch: 'automation-state'
      }
    )
    await expect(store.get('huge.json')).rejects.toMatchObject({
      code: 'INVALID_STATE_DOCUMENT',
      field: 'posts[0].id',
      message: expect.stringContaining('the number 12345678901234567890 cannot be held exactly')
    })
    await expect(store.set('nan.json', { total: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_STATE_DOCUMENT',
      field: 'total',
      when: 'write'
    })
    expect(await store.get('nan.json')).toBeUndefined()
  })

  it.each(['', '/abs.json', 'a/../b.json', '.git/config', 'a//b.json', 'a/.GIT/x.json', 'a\0b'])(
    'paths: %j is refused',
    async (path) => {
      const { store } = await storeOn()
      await expect(store.set(path, 1)).rejects.toMatchObject({
        code: 'INVALID_PATH',
        input: 'path'
      })
    }
  )

  it('options: a bad branch name or maxAttempts is INVALID_OPTIONS', async () => {
    const { ctx } = await storeOn()
    expect(() => new BranchStore(ctx, { branch: 'a..b' })).toThrow(
      expect.objectContaining({ option: 'branch' })
    )
    expect(() => new BranchStore(ctx, { retry: { maxAttempts: 0 } })).toThrow(
      expect.objectContaining({ option: 'maxAttempts' })
    )
  })
})

describe('BranchStore: large documents', () => {
  it.each(TRANSPORTS)(
    '1 MB: written and read back intact (read via %s, commit via %s)',
    async (readVia, commitVia) => {
      const { store } = await storeOn({ readVia, commitVia })
      const big = Array.from({ length: 4200 }, (_, i) => ({
        position: i,
        title: 'x'.repeat(200),
        photo_id: `p${i}`
      }))
      const text = JSON.stringify(big, null, 2)
      expect(text.length).toBeGreaterThan(1024 * 1024)
      await store.set('big/posts.json', big)
      expect((await store.get('big/posts.json'))?.value).toEqual(big)
      await store.merge('small.json', { ok: true })
      expect((await store.getMany(['big/posts.json', 'small.json'])).size).toBe(2)
    }
  )
})

describe('BranchStore: errors', () => {
  it('get: an unknown repository is REPOSITORY_NOT_FOUND naming the repository', async () => {
    const { as } = await storeOn()
    const ctx = { ...as('octocat'), repo: 'no-such-repo' }
    await expect(new BranchStore(ctx).get('a.json')).rejects.toMatchObject({
      code: 'REPOSITORY_NOT_FOUND',
      repository: 'octocat/no-such-repo',
      message: expect.stringContaining(
        'Repository octocat/no-such-repo not found, or the token cannot see it'
      )
    })
  })

  it('set: a read-only token is GITHUB_REQUEST_FAILED, nothing written', async () => {
    const { owner, repo, as } = await storeOn()
    await new BranchStore(as('octocat')).set('a.json', 1)
    const store = new BranchStore(as('mallory'), NO_WAIT)
    await expect(store.set('a.json', 2)).rejects.toMatchObject({ code: 'GITHUB_REQUEST_FAILED' })
    expect(
      await emulator.admin.refHistory(`${owner}/${repo}`, 'refs/heads/automation-state')
    ).toHaveLength(1)
  })
})
