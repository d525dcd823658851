import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { BranchGit, type BranchHead } from '../../src/branch-store/git.js'
import { treeBatches } from '../../src/branch-store/tree-batches.js'
import { freshRepo, startWorld } from '../support/emulator.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
})

const file = (i: number, round: string) => ({
  path: `many/${String(i).padStart(2, '0')}.txt`,
  content: Buffer.from(`${round} ${i} `.padEnd(250 * 1024, 'x'))
})

describe('BranchGit: a commit of more than 4 MiB of inline content', () => {
  it('is built by several POST git/trees on each other, and every file lands in one commit', async () => {
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const git = new BranchGit(ctx, 'big', 'rest', 'git-data')
    const first = Array.from({ length: 20 }, (_, i) => file(i, 'one')) // 5 MB inline
    await emulator.admin.clearLedger()
    const created = await git.createOrphan(first, 'first')
    expect(created.kind).toBe('committed')
    const trees = async () =>
      (await emulator.admin.ledger()).filter((e) => e.route.endsWith('/git/trees')).length
    expect(await trees()).toBe(2)

    const head = (await git.readHead()) as BranchHead
    const second = Array.from({ length: 20 }, (_, i) => file(i + 20, 'two'))
    await emulator.admin.clearLedger()
    const moved = await git.commit(head, second, ['many/00.txt'], 'second')
    expect(moved.kind).toBe('committed')
    expect(await trees()).toBe(2)
    const tree = await git.readTree(((await git.readHead()) as BranchHead).treeSha)
    expect([...tree.keys()].filter((p) => p.startsWith('many/')).length).toBe(39)
    expect(tree.has('many/00.txt')).toBe(false)
    expect((await git.readRaw('many/39.txt', 'big'))?.startsWith('two 39 ')).toBe(true)
    expect((await git.readRaw('many/01.txt', 'big'))?.startsWith('one 1 ')).toBe(true)
  })

  it('treeBatches: in order, ≤ maxBytes of content each, an oversized entry alone, shas weigh nothing', () => {
    const e = (content?: string) => ({ content })
    const sizes = (b: Array<Array<{ content?: string }>>) =>
      b.map((x) => x.map((y) => y.content?.length ?? 0))
    expect(treeBatches([], 10)).toEqual([[]])
    expect(sizes(treeBatches([e('aaaa'), e('bbbb'), e('cc'), e('dddd')], 10))).toEqual([
      [4, 4, 2],
      [4]
    ])
    expect(sizes(treeBatches([e('a'), e('x'.repeat(30)), e('b')], 10))).toEqual([[1], [30], [1]])
    expect(sizes(treeBatches([e(), e(), e('aaaaaaaaaa'), e()], 10))).toEqual([[0, 0, 10, 0]])
  })
})
