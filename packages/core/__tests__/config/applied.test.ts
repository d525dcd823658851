/**
 * Issue 16: the config.yml keys hubstore applies beyond labels and reactions — gh-store's version
 * numbering (`hubstore.version_numbering`, docs/gh-store-format.md §4.1), `store.retries` mapped
 * onto the client's retries (§5.3.1) and `store.log` as the level and format of the log (§5.3.2).
 * Against the emulator, read back from it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createGitHubClient,
  createObject,
  getObject,
  listObjects,
  processUpdates,
  updateObject
} from '../../src/index.js'
import {
  clientOptionsOf,
  createStoreLogger,
  DEFAULT_STORE_CONFIG,
  formatStoreConfig,
  logRequests,
  parseStoreConfig
} from '@hubstore/core/objects'
import { createSnapshot } from '@hubstore/core/snapshot'
import { comment, freshRepo, readIssue, startWorld, USERS } from '../support/emulator.js'
import type { RepoContext } from '../../src/github/context.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

const failure = (text: string) => {
  try {
    parseStoreConfig(text, 'config.yml')
    return 'no error'
  } catch (error) {
    const e = error as { key: string; message: string }
    return { key: e.key, message: e.message }
  }
}

/** What gh-store's `get` reports (`IssueHandler._get_version`): every comment + 1, counted here. */
async function ghStoreGetVersion(ctx: RepoContext, issueNumber: number): Promise<number> {
  const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issueNumber,
    per_page: 100
  })
  return comments.length + 1
}

describe('config.yml: hubstore.version_numbering', () => {
  it('parses in a hubstore: mapping next to store:, defaults to hubstore, refuses other values and keys, round-trips', () => {
    expect(DEFAULT_STORE_CONFIG.versionNumbering).toBe('hubstore')
    const config = parseStoreConfig(
      'store:\n  base_label: s\nhubstore:\n  version_numbering: gh-store\n'
    )
    expect([config.baseLabel, config.versionNumbering]).toEqual(['s', 'gh-store'])
    expect(parseStoreConfig(formatStoreConfig(config))).toEqual(config)
    // hubstore init's file stays gh-store's packaged layout when the numbering is the default
    expect(formatStoreConfig()).not.toContain('hubstore:')
    expect(failure('hubstore:\n  version_numbering: python\n')).toEqual({
      key: 'hubstore.version_numbering',
      message:
        'config.yml: key hubstore.version_numbering is invalid: expected one of hubstore gh-store; got string "python".'
    })
    expect(failure('hubstore:\n  numbering: gh-store\n')).toMatchObject({
      key: 'hubstore.numbering',
      message: expect.stringContaining(
        'it is not a hubstore key; remove it or correct its spelling (keys: version_numbering)'
      )
    })
  })

  it("gh-store numbering: get reports gh-store's comments + 1, listings and snapshots 1; hubstore's stays the comment count", async () => {
    const { as } = await freshRepo(emulator)
    const owner = as('octocat')
    const n = (await createObject(owner, 'cart', { items: 1 })).meta.issueNumber
    await updateObject(owner, 'cart', { items: 2 })
    await processUpdates(owner, n)
    await updateObject(as('mallory'), 'cart', { items: 666 }) // rejected, still a comment
    await processUpdates(owner, n)
    await comment(owner, n, 'a discussion comment')
    const comments = (await readIssue(owner, n)).comments
    expect(comments).toBe(4)

    const ghStore = {
      ...owner,
      storeConfig: parseStoreConfig('hubstore:\n  version_numbering: gh-store\n')
    }
    expect((await getObject(owner, 'cart')).meta.version).toBe(4)
    expect((await getObject(owner, 'cart', { versionNumbering: 'gh-store' })).meta.version).toBe(
      await ghStoreGetVersion(owner, n)
    )
    expect((await getObject(ghStore, 'cart')).meta.version).toBe(5)
    // the option wins over the file
    expect((await getObject(ghStore, 'cart', { versionNumbering: 'hubstore' })).meta.version).toBe(
      4
    )

    await createObject(owner, 'fresh', { a: 1 })
    const listed = (l: Awaited<ReturnType<typeof listObjects>>) =>
      l.objects.map((o) => [o.meta.objectId, o.meta.version])
    expect(listed(await listObjects(owner))).toEqual([
      ['cart', 4],
      ['fresh', 1]
    ])
    expect(listed(await listObjects(ghStore))).toEqual([
      ['cart', 1],
      ['fresh', 1]
    ])
    const versions = async (ctx: RepoContext, options = {}) =>
      [...(await createSnapshot(ctx, options)).snapshot.objects.values()].map((e) => e.meta.version)
    expect(await versions(owner)).toEqual([1, 4])
    expect(await versions(ghStore)).toEqual([1, 1])
    expect(await versions(owner, { versionNumbering: 'gh-store' })).toEqual([1, 1])
  })
})

describe('config.yml: store.retries applied to the client', () => {
  it('max_attempts is the attempts per request in all: a 502 on every try is sent max_attempts times (ledger), then fails', async () => {
    const { owner, repo } = await freshRepo(emulator)
    const route = '/repos/{owner}/{repo}/issues'
    const attempts = async (configText: string | undefined) => {
      const extra = configText !== undefined ? clientOptionsOf(parseStoreConfig(configText)) : {}
      const ctx = {
        owner,
        repo,
        octokit: createGitHubClient({
          ...extra,
          token: USERS.octocat.token,
          baseUrl: emulator.url,
          retry: { ...(extra as { retry?: object }).retry, retryAfterBaseMs: 1 },
          log: () => {}
        })
      }
      await emulator.admin.clearLedger()
      const fault = await emulator.admin.addFault({ method: 'GET', route, status: 502 })
      const error = await listObjects(ctx).catch((e: unknown) => e as { code?: string })
      await emulator.admin.clearFaults(fault.id)
      const sent = (await emulator.admin.ledger()).filter((e) => e.route === route)
      expect(sent.every((e) => e.status === 502)).toBe(true)
      return [(error as { code?: string }).code, sent.length]
    }
    expect(clientOptionsOf(DEFAULT_STORE_CONFIG).retry).toEqual({ retries: 2, backoffFactor: 2 })
    expect(
      await attempts('store:\n  retries:\n    max_attempts: 2\n    backoff_factor: 3\n')
    ).toEqual(['GITHUB_REQUEST_FAILED', 2])
    expect(
      await attempts('store:\n  retries:\n    max_attempts: 5\n    backoff_factor: 1\n')
    ).toEqual(['GITHUB_REQUEST_FAILED', 5])
    expect(await attempts('')).toEqual(['GITHUB_REQUEST_FAILED', 3]) // gh-store's default: 3
    expect(await attempts(undefined)).toEqual(['GITHUB_REQUEST_FAILED', 4]) // no file: hubstore's 1 + 3
  })

  it("backoff_factor replaces plugin-retry's n² schedule by factor ** (n - 1): the wait the client's retry hook asks for", () => {
    const octokit = createGitHubClient({
      ...clientOptionsOf(parseStoreConfig('store:\n  retries:\n    backoff_factor: 3\n')),
      baseUrl: emulator.url
    })
    // plugin-retry asks for (n)² "seconds" before retry n (1, 4, 9); the hook turns them into
    // thousandths of 3 ** (n - 1) seconds (plugin-retry truncates waits to whole numbers)
    const asked = [1, 4, 9].map((square) => {
      const error = { request: { request: {} } } as never
      const out = octokit.retry.retryRequest(error, 2, square) as unknown as {
        request: { request: { retryAfter: number; retries: number } }
      }
      return out.request.request
    })
    expect(asked).toEqual([
      { retries: 2, retryAfter: 1000 },
      { retries: 2, retryAfter: 3000 },
      { retries: 2, retryAfter: 9000 }
    ])
  })

  it('a retried request succeeds once the fault is spent', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat', {
      ...clientOptionsOf(parseStoreConfig('store:\n  retries:\n    max_attempts: 3\n')),
      retry: { retries: 2, backoffFactor: 2, retryAfterBaseMs: 1 },
      log: () => {}
    })
    await createObject(ctx, 'x', { a: 1 })
    await emulator.admin.addFault({
      method: 'GET',
      route: '/repos/{owner}/{repo}/issues',
      status: 502,
      count: 2
    })
    expect((await listObjects(ctx)).objects.map((o) => o.meta.objectId)).toEqual(['x'])
  })
})

describe('config.yml: store.log applied', () => {
  const logOf = (text: string) => {
    const lines: string[] = []
    const log = createStoreLogger({
      log: parseStoreConfig(text).log,
      write: (line) => lines.push(line),
      now: () => new Date('2026-01-02T03:04:05.678Z')
    })
    return { log, lines }
  }

  it('the level filters lines, the format shapes them, json is one object per line', () => {
    const warn = logOf('store:\n  log:\n    level: warning\n')
    warn.log.debug('d')
    warn.log.info('i')
    warn.log.warning('w')
    warn.log.error('e')
    expect(warn.lines).toEqual([
      '2026-01-02T03:04:05.678Z | WARNING | w',
      '2026-01-02T03:04:05.678Z | ERROR | e'
    ])
    const json = logOf('store:\n  log:\n    level: DEBUG\n    format: json\n')
    json.log.debug('two\nlines')
    expect(json.lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-01-02T03:04:05.678Z', level: 'DEBUG', message: 'two' },
      { time: '2026-01-02T03:04:05.678Z', level: 'DEBUG', message: 'lines' }
    ])
    const custom = logOf('store:\n  log:\n    format: "[{level}] {message}"\n')
    custom.log.info('hello')
    expect(custom.lines).toEqual(['[INFO] hello'])
    expect(failure('store:\n  log:\n    level: LOUD\n')).toMatchObject({
      key: 'store.log.level',
      message: expect.stringContaining(
        'expected one of TRACE DEBUG INFO SUCCESS WARNING ERROR CRITICAL'
      )
    })
    expect(failure('store:\n  log:\n    format: "{time} {name}"\n')).toMatchObject({
      key: 'store.log.format',
      message: expect.stringContaining('not {name}')
    })
    expect(failure('store:\n  log:\n    format: "{time}"\n')).toMatchObject({
      key: 'store.log.format',
      message: expect.stringContaining('naming {message}')
    })
  })

  it('at DEBUG every request of the client is a line (method, path, status), read against the ledger; above DEBUG none', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    await createObject(ctx, 'x', { a: 1 })
    const debug = logOf('store:\n  log:\n    level: DEBUG\n    format: "{message}"\n')
    const info = logOf('store:\n  log:\n    level: INFO\n')
    logRequests(ctx.octokit, debug.log)
    logRequests(ctx.octokit, info.log)
    await emulator.admin.clearLedger()
    await getObject(ctx, 'x')
    const ledger = await emulator.admin.ledger()
    expect(debug.lines).toEqual(ledger.map((e) => `request ${e.method} ${e.path} → ${e.status}`))
    expect(debug.lines).toHaveLength(1)
    expect(info.lines).toEqual([])
  })
})
