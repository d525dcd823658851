import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import type { DomainEvent } from '../../src/index.js'
import { failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { branch, commitAs } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)
const reader = lazyClient(emulator, TOKENS.reader)

let events: DomainEvent[] = []
let unsubscribe: () => void = () => {}
beforeEach(() => {
  events = []
  unsubscribe = emulator.events.subscribe((e) => events.push(e))
})
afterEach(() => unsubscribe())

describe('activity: pull requests', () => {
  test('pulls/create, get, list (state, head, base, sort, direction), update; events opened, edited, closed, reopened', async () => {
    const r = await newRepo(emulator, 'act-pulls')
    const full = `${OWNER}/${r.repo}`
    await branch(octokit, r, 'one')
    await branch(octokit, r, 'two')
    const head1 = await commitAs(octokit, r, 'one.txt', '1', { branch: 'one' })
    await commitAs(octokit, r, 'two.txt', '2', { branch: 'two' })
    const p1 = await octokit.rest.pulls.create({ ...r, title: 'One', head: 'one', base: 'main' })
    expect(p1.status).toBe(201)
    expect(p1.data).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      commits: 1,
      changed_files: 1,
      head: { ref: 'one', sha: head1, label: `${OWNER}:one` },
      base: { ref: 'main' },
      user: { login: OWNER }
    })
    await emulator.admin.advanceClock(1000)
    const p2 = await octokit.rest.pulls.create({
      ...r,
      title: 'Two',
      head: `${OWNER}:two`,
      base: 'main'
    })
    expect(p2.data.number).toBe(2)
    // an issue opened now takes the next number of the shared sequence
    const issue = await octokit.rest.issues.create({ ...r, title: 'after the pulls' })
    expect(issue.data.number).toBe(3)

    const dup = await failure(
      octokit.rest.pulls.create({ ...r, title: 'again', head: 'one', base: 'main' })
    )
    expect(dup.status).toBe(422)
    expect(dup.response.data.errors).toEqual([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${OWNER}:one.`
      }
    ])
    await branch(octokit, r, 'same')
    const none = await failure(
      octokit.rest.pulls.create({ ...r, title: 'x', head: 'same', base: 'main' })
    )
    expect(none.response.data.errors).toEqual([
      { resource: 'PullRequest', code: 'custom', message: 'No commits between main and same' }
    ])
    const missing = await failure(
      octokit.rest.pulls.create({ ...r, title: 'x', head: 'nope', base: 'main' })
    )
    expect(missing.response.data.errors).toEqual([
      { resource: 'PullRequest', code: 'invalid', field: 'head' }
    ])

    const listed = await reader.rest.pulls.list({ ...r })
    expect(listed.data.map((p) => p.number)).toEqual([2, 1])
    const asc = await reader.rest.pulls.list({ ...r, direction: 'asc' })
    expect(asc.data.map((p) => p.number)).toEqual([1, 2])
    const byHead = await reader.rest.pulls.list({ ...r, head: `${OWNER}:two` })
    expect(byHead.data.map((p) => p.number)).toEqual([2])
    expect((await reader.rest.pulls.list({ ...r, base: 'other' })).data).toEqual([])

    await emulator.admin.advanceClock(1000)
    const edited = await octokit.rest.pulls.update({ ...r, pull_number: 1, title: 'One!' })
    expect(edited.data.title).toBe('One!')
    const closed = await octokit.rest.pulls.update({ ...r, pull_number: 1, state: 'closed' })
    expect(closed.data).toMatchObject({ state: 'closed', merged: false })
    expect(
      (await reader.rest.pulls.list({ ...r, state: 'closed' })).data.map((p) => p.number)
    ).toEqual([1])
    const byUpdated = await reader.rest.pulls.list({
      ...r,
      state: 'all',
      sort: 'updated',
      direction: 'desc'
    })
    expect(byUpdated.data.map((p) => p.number)).toEqual([1, 2])
    await octokit.rest.pulls.update({ ...r, pull_number: 1, state: 'open' })
    const got = await reader.rest.pulls.get({ ...r, pull_number: 1 })
    expect(got.data).toMatchObject({ state: 'open', title: 'One!', closed_at: null })
    expect((await failure(reader.rest.pulls.get({ ...r, pull_number: 99 }))).status).toBe(404)
    expect(
      (await failure(reader.rest.pulls.update({ ...r, pull_number: 1, title: 'no' }))).status
    ).toBe(403)

    expect(events.filter((e) => e.name === 'pull_request')).toEqual([
      { name: 'pull_request', action: 'opened', repo: full, number: 1, sender: OWNER },
      { name: 'pull_request', action: 'opened', repo: full, number: 2, sender: OWNER },
      {
        name: 'pull_request',
        action: 'edited',
        repo: full,
        number: 1,
        sender: OWNER,
        changes: { title: { from: 'One' } }
      },
      { name: 'pull_request', action: 'closed', repo: full, number: 1, sender: OWNER },
      { name: 'pull_request', action: 'reopened', repo: full, number: 1, sender: OWNER }
    ])
  })

  test('pulls/merge: merge commit with two parents moves the base branch; push and closed events; 405 after', async () => {
    const r = await newRepo(emulator, 'act-merge')
    const full = `${OWNER}/${r.repo}`
    await branch(octokit, r, 'feature')
    const head = await commitAs(octokit, r, 'f.txt', 'f', { branch: 'feature' })
    const base = await commitAs(octokit, r, 'm.txt', 'm')
    const pr = await octokit.rest.pulls.create({
      ...r,
      title: 'Feature',
      head: 'feature',
      base: 'main'
    })
    const stale = await failure(
      octokit.rest.pulls.merge({ ...r, pull_number: pr.data.number, sha: base })
    )
    expect(stale.status).toBe(409)
    expect(
      (await failure(reader.rest.pulls.merge({ ...r, pull_number: pr.data.number }))).status
    ).toBe(403)
    events = []
    const merged = await octokit.rest.pulls.merge({ ...r, pull_number: pr.data.number, sha: head })
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' })
    const commit = await octokit.rest.git.getCommit({ ...r, commit_sha: merged.data.sha })
    expect(commit.data.parents.map((p) => p.sha)).toEqual([base, head])
    expect(commit.data.message).toBe(
      `Merge pull request #${pr.data.number} from ${OWNER}/feature\n\nFeature`
    )
    const main = await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })
    expect(main.data.object.sha).toBe(merged.data.sha)
    const after = await octokit.rest.pulls.get({ ...r, pull_number: pr.data.number })
    expect(after.data).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.data.sha,
      merged_by: { login: OWNER },
      head: { sha: head },
      base: { sha: base }
    })
    expect(events).toEqual([
      {
        name: 'push',
        repo: full,
        ref: 'refs/heads/main',
        before: base,
        after: merged.data.sha,
        sender: OWNER
      },
      { name: 'pull_request', action: 'closed', repo: full, number: pr.data.number, sender: OWNER }
    ])
    const again = await failure(octokit.rest.pulls.merge({ ...r, pull_number: pr.data.number }))
    expect(again.status).toBe(405)
    expect(again.response.data.message).toBe('Pull Request is not mergeable')
    const reopen = await failure(
      octokit.rest.pulls.update({ ...r, pull_number: pr.data.number, state: 'open' })
    )
    expect(reopen.status).toBe(422)
  })

  test('pulls/merge: squash writes one commit on the base, rebase replays the commits; a conflict is 405', async () => {
    const r = await newRepo(emulator, 'act-squash')
    await branch(octokit, r, 'sq')
    await commitAs(octokit, r, 's1.txt', '1', { branch: 'sq' })
    await commitAs(octokit, r, 's2.txt', '2', { branch: 'sq' })
    const base = (await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })).data.object.sha
    const sq = await octokit.rest.pulls.create({
      ...r,
      title: 'Squash me',
      head: 'sq',
      base: 'main'
    })
    const squashed = await octokit.rest.pulls.merge({
      ...r,
      pull_number: sq.data.number,
      merge_method: 'squash'
    })
    const c = await octokit.rest.git.getCommit({ ...r, commit_sha: squashed.data.sha })
    expect(c.data.parents.map((p) => p.sha)).toEqual([base])
    expect(c.data.message).toBe(`Squash me (#${sq.data.number})`)
    const tree = await octokit.rest.git.getTree({ ...r, tree_sha: c.data.tree.sha })
    expect(tree.data.tree.map((e) => e.path).sort()).toEqual(['README.md', 's1.txt', 's2.txt'])

    await branch(octokit, r, 'rb')
    const r1 = await commitAs(octokit, r, 'r1.txt', '1', { branch: 'rb' })
    await commitAs(octokit, r, 'r2.txt', '2', { branch: 'rb' })
    const rb = await octokit.rest.pulls.create({ ...r, title: 'Rebase', head: 'rb', base: 'main' })
    // rebased commits are new commits: same trees and authors, committed by GitHub now
    await emulator.admin.advanceClock(60_000)
    const rebased = await octokit.rest.pulls.merge({
      ...r,
      pull_number: rb.data.number,
      merge_method: 'rebase'
    })
    const log = await octokit.rest.repos.listCommits({ ...r, per_page: 3 })
    expect(log.data[0].sha).toBe(rebased.data.sha)
    expect(log.data.map((x) => x.commit.message)).toEqual([
      'write r2.txt',
      'write r1.txt',
      `Squash me (#${sq.data.number})`
    ])
    expect(log.data[1].sha).not.toBe(r1)

    await branch(octokit, r, 'clash')
    await commitAs(octokit, r, 'README.md', 'theirs', { branch: 'clash' })
    await commitAs(octokit, r, 'README.md', 'ours')
    const clash = await octokit.rest.pulls.create({
      ...r,
      title: 'Clash',
      head: 'clash',
      base: 'main'
    })
    expect(
      (await failure(octokit.rest.pulls.merge({ ...r, pull_number: clash.data.number }))).status
    ).toBe(405)
  })
})
