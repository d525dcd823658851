import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bundleForChild } from '../../../../test-support/bundle-for-child.js'
import { GitStateAdapter, AUTOMATION_STATE_SCHEMAS } from '../../src/automation-state/index.js'
import { BranchStore } from '../../src/branch-store/branch-store.js'
import { freshRepo, startWorld, USERS } from '../support/emulator.js'

const writer = fileURLToPath(new URL('./support/writer.ts', import.meta.url))
let emulator: Emulator
/** The writer and the core source it runs, bundled once: 12 plain `node` starts, not 12 tsx ones. */
let writerBundle: string
beforeAll(async () => {
  writerBundle = bundleForChild(writer)
  emulator = await startWorld()
})
afterAll(async () => {
  rmSync(writerBundle, { force: true })
  await emulator.close()
})

const root = fileURLToPath(new URL('../../../..', import.meta.url))

function runWriter(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerBundle, ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, out }))
  })
}

describe('git backend under concurrency', () => {
  it('recordPost: 8 processes on 8 albums and 4 on one album, all at once — no lost update', async () => {
    const { owner, repo, as } = await freshRepo(emulator)
    const jobs: Array<{ account: string; album: string; position: number }> = []
    for (let i = 0; i < 8; i++)
      jobs.push({ account: i % 2 ? 'secondary' : 'primary', album: `10${i}`, position: 1 })
    for (let i = 1; i <= 4; i++) jobs.push({ account: 'primary', album: '999', position: i })

    const results = await Promise.all(
      jobs.map((j) =>
        runWriter([
          emulator.url,
          USERS.octocat.token,
          `${owner}/${repo}`,
          j.account,
          j.album,
          String(j.position)
        ])
      )
    )
    for (const r of results) expect({ code: r.code, out: r.out.trim() }).toMatchObject({ code: 0 })

    const git = new GitStateAdapter(
      new BranchStore(as('octocat'), { schemas: AUTOMATION_STATE_SCHEMAS })
    )
    for (const j of jobs) {
      const posts = await git.readPosts(j.account, j.album)
      expect(posts.find((p) => p.position === j.position)?.photo_id).toBe(
        `photo-${j.account}-${j.album}-${j.position}`
      )
    }
    const shared = await git.readAlbum('primary', '999')
    expect(shared.posts.map((p) => p.position)).toEqual([1, 2, 3, 4])
    // metadata is derived in the same commit as the posts, so it counts all four
    expect(shared.metadata).toMatchObject({
      posted_count: 4,
      last_posted_position: expect.any(Number)
    })
    // every commit on the branch is one writer's change: 12 writers, 12 commits, none lost
    const history = await emulator.admin.refHistory(
      `${owner}/${repo}`,
      'refs/heads/automation-state'
    )
    expect(history.filter((h) => h.sha !== null)).toHaveLength(12)
  }, 120_000)
})
