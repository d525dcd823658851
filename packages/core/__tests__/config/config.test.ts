import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import {
  createObject,
  deleteObject,
  getObject,
  getObjectHistory,
  listObjects,
  processUpdates,
  updateObject
} from '../../src/index.js'
import {
  DEFAULT_STORE_CONFIG,
  formatStoreConfig,
  parseStoreConfig,
  type StoreConfig
} from '@hubstore/core/objects'
import { createSnapshot } from '@hubstore/core/snapshot'
import { freshRepo, reactionsOf, readIssue, startWorld } from '../support/emulator.js'

const failure = (text: string) => {
  try {
    parseStoreConfig(text, 'config.yml')
    return 'no error'
  } catch (error) {
    const e = error as { code: string; key: string; message: string }
    return { code: e.code, key: e.key, message: e.message }
  }
}

describe('parseStoreConfig: gh-store config.yml', () => {
  it('an empty file, and gh-store’s packaged default, give gh-store’s defaults', () => {
    expect(parseStoreConfig('')).toEqual(DEFAULT_STORE_CONFIG)
    expect(DEFAULT_STORE_CONFIG).toEqual({
      baseLabel: 'stored-object',
      uidPrefix: 'UID:',
      reactions: { processed: '+1', initialState: 'rocket' },
      retries: { maxAttempts: 3, backoffFactor: 2 },
      rateLimit: { maxRequestsPerHour: 1000 },
      log: { level: 'INFO', format: '{time} | {level} | {message}' },
      versionNumbering: 'hubstore'
    })
    // gh_store/default_config.yml, as gh-store ships it (docs/gh-store-format.md §5.3)
    const packaged = [
      'store:',
      '  base_label: "stored-object"',
      '  uid_prefix: "UID:"',
      '  reactions:',
      '    processed: "+1"',
      '    initial_state: "rocket"',
      '  retries:',
      '    max_attempts: 3',
      '    backoff_factor: 2',
      '  rate_limit:',
      '    max_requests_per_hour: 1000',
      '  log:',
      '    level: "INFO"',
      '    format: "{time} | {level} | {message}"'
    ].join('\n')
    expect(parseStoreConfig(packaged)).toEqual(DEFAULT_STORE_CONFIG)
  })

  it('formatStoreConfig round-trips through parseStoreConfig', () => {
    const custom: StoreConfig = {
      ...DEFAULT_STORE_CONFIG,
      baseLabel: 'my-store',
      uidPrefix: 'ID:',
      reactions: { processed: 'rocket', initialState: 'eyes' }
    }
    expect(parseStoreConfig(formatStoreConfig(custom))).toEqual(custom)
    expect(parseStoreConfig(formatStoreConfig())).toEqual(DEFAULT_STORE_CONFIG)
  })

  it('store.processed_reaction names the processed reaction; it must agree with store.reactions.processed', () => {
    expect(parseStoreConfig('store:\n  processed_reaction: rocket\n').reactions.processed).toBe(
      'rocket'
    )
    expect(
      failure('store:\n  processed_reaction: rocket\n  reactions:\n    processed: heart\n')
    ).toMatchObject({ code: 'INVALID_STORE_CONFIG', key: 'store.processed_reaction' })
  })

  it('one clear error per bad key: the key path, what is wrong, the fix', () => {
    expect(failure('store:\n  reactions:\n    processed: thumbsup\n')).toEqual({
      code: 'INVALID_STORE_CONFIG',
      key: 'store.reactions.processed',
      message:
        'config.yml: key store.reactions.processed is invalid: expected one of GitHub\'s reactions: +1 -1 laugh confused heart hooray rocket eyes; got string "thumbsup".'
    })
    expect(failure('store:\n  base_lable: x\n')).toEqual({
      code: 'INVALID_STORE_CONFIG',
      key: 'store.base_lable',
      message:
        'config.yml: key store.base_lable is invalid: it is not a gh-store key; remove it or correct its spelling (keys: base_label, uid_prefix, processed_reaction, reactions, retries, rate_limit, log).'
    })
    expect(failure('store:\n  rate_limit:\n    max_requests_per_hour: 0\n')).toMatchObject({
      key: 'store.rate_limit.max_requests_per_hour',
      message: expect.stringContaining('expected a whole number ≥ 1; got number 0')
    })
    expect(failure('store:\n  base_label: "a,b"\n')).toMatchObject({
      key: 'store.base_label',
      message: expect.stringContaining('no comma')
    })
    expect(failure('store:\n  uid_prefix: ""\n')).toMatchObject({ key: 'store.uid_prefix' })
    expect(failure('store:\n  retries: 3\n')).toMatchObject({
      key: 'store.retries',
      message: expect.stringContaining('expected a mapping of keys; got number 3')
    })
    expect(failure('store:\n  reactions:\n    processed: confused\n')).toMatchObject({
      key: 'store.reactions.processed',
      message: expect.stringContaining('confused marks rejected comments')
    })
    expect(failure('store: [1, 2\n')).toMatchObject({
      key: '',
      message: expect.stringContaining('config.yml: the file is invalid: it is not valid YAML')
    })
    expect(failure('- a\n- b\n')).toMatchObject({ key: '' })
  })
})

describe('a store configured with base_label my-store, uid_prefix ID:, processed_reaction rocket', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startWorld()
  })
  afterAll(async () => emulator.close())

  it('create, update, process, get, list, history, snapshot and delete use the configured labels and reaction', async () => {
    const { as } = await freshRepo(emulator)
    const storeConfig = parseStoreConfig(
      'store:\n  base_label: my-store\n  uid_prefix: "ID:"\n  processed_reaction: rocket\n'
    )
    const ctx = { ...as('octocat'), storeConfig }
    const names = (labels: Array<string | { name?: string }>) =>
      labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()

    const created = await createObject(ctx, 'metrics', { count: 1 })
    expect(created.meta).toMatchObject({ objectId: 'metrics', label: 'ID:metrics' })
    let issue = await readIssue(ctx, created.meta.issueNumber)
    expect(names(issue.labels)).toEqual(['ID:metrics', 'gh-store', 'my-store'])
    const { octokit, owner, repo } = ctx
    const comments = async () =>
      (await octokit.rest.issues.listComments({ owner, repo, issue_number: issue.number })).data
    // the initial-state comment: the processed and the initial-state reaction are both rocket: one reaction
    expect(await reactionsOf(ctx, Number((await comments())[0].id))).toEqual(['rocket by octocat'])

    await updateObject(ctx, 'metrics', { count: 2 })
    const result = await processUpdates(ctx, issue.number)
    expect(result.applied).toHaveLength(1)
    const update = (await comments())[1]
    expect(await reactionsOf(ctx, Number(update.id))).toEqual(['rocket by octocat'])

    // processed again: the rocket marks the update as applied, nothing is re-applied
    await updateObject(ctx, 'metrics', { extra: true })
    const again = await processUpdates(ctx, issue.number)
    expect(again.applied.map((a) => a.commentId)).not.toContain(Number(update.id))
    expect(again.applied).toHaveLength(1)

    expect((await getObject(ctx, 'metrics')).data).toEqual({ count: 2, extra: true })
    const listing = await listObjects(ctx)
    expect(listing.objects.map((o) => o.meta.label)).toEqual(['ID:metrics'])
    const history = await getObjectHistory(ctx, 'metrics')
    expect(history.entries.map((e) => e.status)).toEqual(['applied', 'applied', 'applied'])
    const { snapshot } = await createSnapshot(ctx)
    expect([...snapshot.objects.keys()]).toEqual(['metrics'])

    // the default vocabulary does not see this store's objects
    const plain = as('octocat')
    expect((await listObjects(plain)).objects).toEqual([])

    await deleteObject(ctx, 'metrics')
    issue = await readIssue(ctx, issue.number)
    expect(names(issue.labels)).toEqual(['ID:metrics', 'archived', 'gh-store'])
  })
})
