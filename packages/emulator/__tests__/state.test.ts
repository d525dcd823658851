import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from '@jest/globals'
import { startEmulator } from '../src/index.js'
import {
  client,
  failure,
  registerTokens,
  startTestEmulator,
  T0,
  TOKENS,
  uniqueRepo
} from './support.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-emulator-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('state', () => {
  test('persistence: with dataDir a restart keeps repos, tokens, issues, labels, comments, reactions, files, teams', async () => {
    const dataDir = tempDir()
    const repo = uniqueRepo('persist')
    const r = { owner: 'octo', repo }
    const first = await startTestEmulator({ dataDir })
    let commentId: number | bigint
    try {
      await first.admin.createRepo({ full_name: `octo/${repo}`, private: true })
      await first.admin.putFile(`octo/${repo}`, 'data/state.json', '{"n":1}')
      await first.admin.createTeam({ org: 'acme', slug: 'owners', members: ['writer'] })
      const o = client(first, TOKENS.owner)
      await o.rest.issues.create({ ...r, title: 'kept', body: '{}', labels: ['gh-store'] })
      commentId = (await o.rest.issues.createComment({ ...r, issue_number: 1, body: 'u1' })).data.id
      await o.rest.reactions.createForIssueComment({ ...r, comment_id: commentId, content: '+1' })
      await o.rest.issues.update({ ...r, issue_number: 1, state: 'closed' })
    } finally {
      await first.close()
    }
    expect(JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).version).toBe(1)
    expect(readdirSync(dataDir)).toEqual(['git', 'state.json'])

    const second = await startEmulator({ dataDir, now: () => T0 })
    try {
      const o = client(second, TOKENS.owner)
      const issue = await o.rest.issues.get({ ...r, issue_number: 1 })
      expect(issue.data).toMatchObject({
        title: 'kept',
        state: 'closed',
        state_reason: 'completed',
        comments: 1
      })
      expect(issue.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
        'gh-store'
      ])
      const comment = await o.rest.issues.getComment({ ...r, comment_id: commentId })
      expect(comment.data.reactions?.['+1']).toBe(1)
      const file = await o.rest.repos.getContent({ ...r, path: 'data/state.json' })
      expect((file.data as { size: number }).size).toBe(7)
      const team = await o.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'owners' })
      expect(team.data.map((u) => u.login)).toEqual(['writer'])
      const next = await o.rest.issues.create({ ...r, title: 'next' })
      expect(next.data.number).toBe(2)
      expect(next.data.id).toBeGreaterThan(commentId)
    } finally {
      await second.close()
    }
  })

  test('persistence: in memory by default, and two emulators in one process share nothing', async () => {
    const a = await startTestEmulator()
    const b = await startTestEmulator()
    try {
      const repo = uniqueRepo('isolated')
      await a.admin.createRepo({ full_name: `octo/${repo}` })
      await client(a, TOKENS.owner).rest.issues.create({ owner: 'octo', repo, title: 't' })
      const e = await failure(client(b, TOKENS.owner).rest.repos.get({ owner: 'octo', repo }))
      expect(e.status).toBe(404)
      expect((await b.admin.ledger()).length).toBe(1)
      expect((await a.admin.ledger()).length).toBe(1)
    } finally {
      await a.close()
      await b.close()
    }
  })

  test('reset: fresh empty state; tokens, repos, ledger and rate limits are gone (also on disk)', async () => {
    const dataDir = tempDir()
    const repo = uniqueRepo('reset')
    const emulator = await startTestEmulator({ dataDir })
    try {
      await emulator.admin.createRepo({ full_name: `octo/${repo}` })
      const before = await client(emulator, TOKENS.owner).rest.repos.get({ owner: 'octo', repo })
      expect(before.headers['x-ratelimit-used']).toBe('1')
      await emulator.admin.reset()
      expect(await emulator.admin.ledger()).toEqual([])
      const e = await failure(
        client(emulator, TOKENS.owner).rest.repos.get({ owner: 'octo', repo })
      )
      expect(e.status).toBe(401)
      expect(e.response.data.message).toBe('Bad credentials')
    } finally {
      await emulator.close()
    }
    const restarted = await startEmulator({ dataDir })
    try {
      const e = await failure(client(restarted, TOKENS.owner).rest.users.getAuthenticated())
      expect(e.status).toBe(401)
      await registerTokens(restarted)
      const gone = await failure(
        client(restarted, TOKENS.owner).rest.repos.get({ owner: 'octo', repo })
      )
      expect(gone.status).toBe(404)
      expect(gone.response.headers['x-ratelimit-used']).toBe('1')
    } finally {
      await restarted.close()
    }
  })
})
