import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { Clock } from '../../src/clock.js'
import { GitBranchNotFound, GitPathNotFound, GitStaleHead, GitStore } from '../../src/git/store.js'
import { T0 } from '../support.js'
import { git, hashObject } from './support.js'

let store: GitStore

beforeAll(() => {
  store = new GitStore({ clock: new Clock(() => T0) })
})
afterAll(async () => {
  await store.close()
})

describe('GitStore', () => {
  test('GitStore.init: bare repository with an optional README commit; resolveRef and readPath', async () => {
    await store.init('Octo', 'Store', { defaultBranch: 'trunk', autoInit: true })
    expect(store.repoPath('Octo', 'Store')).toBe(`${store.root}/repos/octo/store.git`)
    expect(git(['--git-dir', store.repoPath('octo', 'store'), 'symbolic-ref', 'HEAD']).trim()).toBe(
      'refs/heads/trunk'
    )
    const head = await store.resolveRef('octo', 'store', 'trunk')
    expect(head).toMatch(/^[0-9a-f]{40}$/)
    for (const ref of ['refs/heads/trunk', 'heads/trunk', head!])
      expect(await store.resolveRef('octo', 'store', ref)).toBe(head)
    expect(await store.resolveRef('octo', 'store', head!.slice(0, 7))).toBe(head)
    expect(await store.resolveRef('octo', 'store', 'nope')).toBeNull()
    const readme = await store.readPath('octo', 'store', head!, 'README.md')
    expect(readme).toMatchObject({ type: 'blob', sha: hashObject('# Store\n'), mode: '100644' })
    expect(readme?.content?.toString()).toBe('# Store\n')
    expect(await store.readPath('octo', 'store', head!, '')).toMatchObject({ type: 'tree' })
    expect(await store.readPath('octo', 'store', head!, 'missing')).toBeNull()
    await store.init('octo', 'empty', { defaultBranch: 'main', autoInit: false })
    expect(await store.isEmpty('octo', 'empty')).toBe(true)
  })

  test('GitStore.commitFiles: GitStaleHead, GitBranchNotFound, GitPathNotFound; history records every move', async () => {
    await store.init('octo', 'cf', { defaultBranch: 'main', autoInit: true })
    const head = (await store.resolveRef('octo', 'cf', 'main'))!
    const r = await store.commitFiles('octo', 'cf', {
      branch: 'main',
      expectedHeadOid: head,
      additions: [{ path: 'a/b/c.txt', content: Buffer.from('c') }],
      deletions: ['README.md'],
      message: 'edit'
    })
    expect(r.parentSha).toBe(head)
    expect(
      git(['--git-dir', store.repoPath('octo', 'cf'), 'ls-tree', '-r', '--name-only', 'main'])
    ).toBe('a/b/c.txt\n')
    const stale = await store
      .commitFiles('octo', 'cf', {
        branch: 'main',
        expectedHeadOid: head,
        additions: [],
        deletions: [],
        message: 'late'
      })
      .catch((e: unknown) => e)
    expect(stale).toBeInstanceOf(GitStaleHead)
    expect(stale).toMatchObject({ expected: head, actual: r.commitSha })
    const missing = await store
      .commitFiles('octo', 'cf', { branch: 'nope', additions: [], deletions: [], message: 'm' })
      .catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(GitBranchNotFound)
    const gone = await store
      .commitFiles('octo', 'cf', {
        branch: 'main',
        additions: [],
        deletions: ['x/y'],
        message: 'm'
      })
      .catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(GitPathNotFound)
    expect(gone).toMatchObject({ path: 'x/y' })
    expect(store.refHistory('octo', 'cf', 'refs/heads/main').map((h) => h.sha)).toEqual([
      head,
      r.commitSha
    ])
    expect(store.refAt('octo', 'cf', 'refs/heads/main', T0.getTime() - 1)).toBe(head)
  })

  test('GitStore.withRepoLock: one holder at a time per repository, re-entrant inside', async () => {
    const order: string[] = []
    const slow = store.withRepoLock('octo', 'lock', async () => {
      order.push('a-start')
      await new Promise((resolve) => setTimeout(resolve, 30))
      await store.withRepoLock('octo', 'lock', async () => order.push('a-inner'))
      order.push('a-end')
    })
    const fast = store.withRepoLock('octo', 'lock', async () => order.push('b'))
    const other = store.withRepoLock('octo', 'other', async () => order.push('other'))
    await Promise.all([slow, fast, other])
    expect(order.filter((x) => x !== 'other')).toEqual(['a-start', 'a-inner', 'a-end', 'b'])
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('a-end'))
  })

  test('GitStore.close: removes its temporary root', async () => {
    const temp = new GitStore({ clock: new Clock() })
    await temp.init('o', 'r', { defaultBranch: 'main', autoInit: true })
    expect(existsSync(temp.root)).toBe(true)
    await temp.close()
    expect(existsSync(temp.root)).toBe(false)
  })
})
