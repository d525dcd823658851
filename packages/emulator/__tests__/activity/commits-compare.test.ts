import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { branch, commitAs, userWithEmails } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

const ALICE = { name: 'Alice Git', email: 'alice@example.com' }
const STRANGER = { name: 'octo', email: 'nobody@example.org' }

describe('activity: commits, compare, contributors', () => {
  test('repos/list-commits: since, until and author filters; author.login by e-mail, null without an account', async () => {
    await userWithEmails(emulator, 'alice', ['Alice@Example.com'])
    const r = await newRepo(emulator, 'act-commits')
    await emulator.admin.advanceClock(60_000)
    const a1 = await commitAs(octokit, r, 'a.txt', '1', { author: ALICE })
    await emulator.admin.advanceClock(60_000)
    const mid = (await octokit.rest.repos.getCommit({ ...r, ref: a1 })).data.commit.committer!.date!
    const s1 = await commitAs(octokit, r, 'b.txt', '1', { author: STRANGER })
    await emulator.admin.advanceClock(60_000)
    const a2 = await commitAs(octokit, r, 'a.txt', '2', { author: ALICE })

    const all = (await octokit.rest.repos.listCommits({ ...r })).data
    expect(all.map((c) => c.sha).slice(0, 3)).toEqual([a2, s1, a1])
    expect(all[0].author?.login).toBe('alice')
    // the git name "octo" is a login, but GitHub attributes by e-mail only
    expect(all[1].author).toBeNull()
    const byAlice = (await octokit.rest.repos.listCommits({ ...r, author: 'alice' })).data
    expect(byAlice.map((c) => c.sha)).toEqual([a2, a1])
    const byEmail = (await octokit.rest.repos.listCommits({ ...r, author: STRANGER.email })).data
    expect(byEmail.map((c) => c.sha)).toEqual([s1])
    // `since`/`until` are inclusive: a1 is at `mid`, s1 a minute later
    const after = new Date(Date.parse(mid) + 30_000).toISOString()
    const since = (await octokit.rest.repos.listCommits({ ...r, since: after })).data
    expect(since.map((c) => c.sha)).toEqual([a2, s1])
    const until = (await octokit.rest.repos.listCommits({ ...r, until: mid })).data
    expect(until.map((c) => c.sha)).toEqual([a1, all[3].sha])
    const res = await octokit.rest.repos.listCommits({ ...r, per_page: 2 })
    expect(res.headers['last-modified']).toBe(
      new Date(all[0].commit.committer!.date!).toUTCString()
    )
    expect(res.headers.link).toContain('rel="next"')
  })

  test('repos/compare-commits: ahead_by, behind_by, status, commits oldest first, files', async () => {
    const r = await newRepo(emulator, 'act-compare')
    await branch(octokit, r, 'feature/x')
    const f1 = await commitAs(octokit, r, 'new.txt', 'one\n', { branch: 'feature/x' })
    const f2 = await commitAs(octokit, r, 'new.txt', 'one\ntwo\n', { branch: 'feature/x' })
    const ahead = await octokit.rest.repos.compareCommitsWithBasehead({
      ...r,
      basehead: 'main...feature/x'
    })
    expect(ahead.data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2
    })
    expect(ahead.data.commits.map((c) => c.sha)).toEqual([f1, f2])
    expect(ahead.data.files).toEqual([
      expect.objectContaining({ filename: 'new.txt', status: 'added', additions: 2, deletions: 0 })
    ])
    await commitAs(octokit, r, 'main.txt', 'm')
    const diverged = await octokit.rest.repos.compareCommitsWithBasehead({
      ...r,
      basehead: 'main...feature/x'
    })
    expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1 })
    const behind = await octokit.rest.repos.compareCommitsWithBasehead({
      ...r,
      basehead: 'feature/x...main'
    })
    expect(behind.data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 2 })
    const same = await octokit.rest.repos.compareCommitsWithBasehead({
      ...r,
      basehead: 'main...main'
    })
    expect(same.data).toMatchObject({ status: 'identical', ahead_by: 0, behind_by: 0, files: [] })
    const e = await failure(
      octokit.rest.repos.compareCommitsWithBasehead({ ...r, basehead: 'main...nope' })
    )
    expect(e.status).toBe(404)
  })

  test('repos/list-contributors: commits per account, most first; anon=1 adds e-mails without one', async () => {
    await userWithEmails(emulator, 'bob', ['bob@example.com'])
    const r = await newRepo(emulator, 'act-contrib')
    const BOB = { name: 'Bob', email: 'bob@example.com' }
    for (const n of [1, 2, 3]) await commitAs(octokit, r, `b${n}.txt`, 'x', { author: BOB })
    await commitAs(octokit, r, 's.txt', 'x', { author: STRANGER })
    await commitAs(octokit, r, 's2.txt', 'x', { author: STRANGER })
    const res = await octokit.rest.repos.listContributors({ ...r })
    // the initial commit is the owner's (noreply address)
    expect(res.data.map((c) => [c.login, c.contributions])).toEqual([
      ['bob', 3],
      [OWNER, 1]
    ])
    const anon = await octokit.rest.repos.listContributors({ ...r, anon: '1' })
    expect(anon.data.map((c) => [c.login ?? c.email, c.type, c.contributions])).toEqual([
      ['bob', 'User', 3],
      [STRANGER.email, 'Anonymous', 2],
      [OWNER, 'User', 1]
    ])
    const empty = await newRepo(emulator, 'act-contrib-empty')
    await emulator.admin.createRepo({ full_name: `${OWNER}/${empty.repo}-e`, auto_init: false })
    const none = await octokit.rest.repos.listContributors({
      owner: OWNER,
      repo: `${empty.repo}-e`
    })
    expect(none.status).toBe(204)
  })
})
