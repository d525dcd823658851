import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { receiveDelivery } from '../../src/activity/inbox.js'
import { processInbox } from '../../src/activity/worker.js'
import type { ActivityDb } from '../../src/activity/types.js'
import { appJwt, commitFile, OWNER, OWNER_TOKEN, startWorld, type World } from './emulator-world.js'
import { ENGINES, SECRET, signedDelivery, tableCounts, useDatabases, useOpen } from './support.js'

const databases = useDatabases()
const open = useOpen()

/** Every commit SHA of `repo`'s default branch, read back from the emulator. */
async function shasOf(world: World, repo: string): Promise<string[]> {
  const commits = await world.owner.paginate(world.owner.rest.repos.listCommits, {
    owner: OWNER,
    repo,
    per_page: 100
  })
  return commits.map((c) => c.sha).sort()
}

/**
 * Pushes a new history of `count` commits (made with `git fast-import`, one file changed per
 * commit) to the empty repository `repo` with the real git client.
 */
async function pushHistory(world: World, repo: string, count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-push-'))
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${OWNER_TOKEN}`).toString('base64')}`
    }
    // asynchronous: the emulator answering the push runs in this process
    const run = (args: string[], input?: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('git', args, { cwd: dir, env, stdio: ['pipe', 'ignore', 'pipe'] })
        let stderr = ''
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
        child.on('error', reject)
        child.on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`git ${args[0]}: ${stderr}`))
        )
        // git init exits without reading stdin: EPIPE here is no failure, its exit code decides
        child.stdin.on('error', () => undefined)
        child.stdin.end(input ?? '')
      })
    await run(['init', '-q', '-b', 'main'])
    let stream = ''
    for (let i = 1; i <= count; i++) {
      const data = `line ${i}\n`
      stream +=
        `commit refs/heads/main\nmark :${i}\n` +
        `author Bulk <bulk@example.com> ${1_767_225_600 + i} +0000\n` +
        `committer Bulk <bulk@example.com> ${1_767_225_600 + i} +0000\n` +
        `data ${`c${i}`.length}\nc${i}\n` +
        (i > 1 ? `from :${i - 1}\n` : '') +
        `M 644 inline f.txt\ndata ${Buffer.byteLength(data)}\n${data}\n`
    }
    await run(['fast-import', '--quiet'], stream)
    await run(['push', '-q', `${world.emulator.url}/${OWNER}/${repo}.git`, 'main'])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe.each(ENGINES)('webhooks into the inbox on %s', (engine) => {
  let world: World
  let db: ActivityDb
  beforeAll(async () => {
    db = await open(await databases.fresh(engine))
    world = await startWorld(`sync-${engine}`, db)
  })
  afterAll(() => world?.close())

  const pass = () => processInbox(db, { clientFor: world.clientFor, workerId: `w-${engine}` })

  it('installation.created imports every repository; deliveries twice and a redelivery leave 0 duplicate rows', async () => {
    const { emulator, owner } = world
    const repos = ['alpha', 'beta', 'gamma']
    for (const name of repos) await emulator.admin.createRepo({ full_name: `${OWNER}/${name}` })
    await commitFile(owner, 'alpha', 'a.txt', 'one', { name: 'Ann', email: 'ann@example.com' })
    await commitFile(owner, 'alpha', 'a.txt', 'two', { name: 'Ann', email: 'ann@example.com' })
    for (const title of ['first', 'second', 'third'])
      await owner.rest.issues.create({ owner: OWNER, repo: 'alpha', title })
    await owner.rest.issues.create({ owner: OWNER, repo: 'beta', title: 'beta issue' })
    const main = await owner.rest.git.getRef({ owner: OWNER, repo: 'beta', ref: 'heads/main' })
    await owner.rest.git.createRef({
      owner: OWNER,
      repo: 'beta',
      ref: 'refs/heads/topic',
      sha: main.data.object.sha
    })
    await owner.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: 'beta',
      path: 't.txt',
      message: 'topic',
      content: Buffer.from('t').toString('base64'),
      branch: 'topic'
    })
    await owner.rest.pulls.create({
      owner: OWNER,
      repo: 'beta',
      head: 'topic',
      base: 'main',
      title: 'a change'
    })

    const installation = await emulator.admin.createInstallation(world.app.slug, { account: OWNER })
    await emulator.admin.settleWebhooks()
    // the App's ping (sent when it was created) and the installation
    expect(
      world.receiver.requests.map((r) => [r.headers['x-github-event'], r.outcome.kind])
    ).toEqual([
      ['ping', 'stored'],
      ['installation', 'stored']
    ])
    const first = await pass()
    expect(first).toMatchObject({ claimed: 2, processed: 2, failed: 0 })

    // rows complete: every repository, commit, issue and pull request GitHub has
    const stored = await db.all<{
      full_name: string
      installation_id: number
      head_sha: string
      last_synced_at: string | null
    }>(
      'SELECT full_name, installation_id, head_sha, last_synced_at FROM repositories ORDER BY full_name'
    )
    expect(stored.map((r) => [r.full_name, r.installation_id])).toEqual(
      repos.map((n) => [`${OWNER}/${n}`, installation.id])
    )
    for (const r of stored) {
      const name = r.full_name.split('/')[1]
      const head = await owner.rest.git.getRef({ owner: OWNER, repo: name, ref: 'heads/main' })
      expect({ name, head: r.head_sha, synced: r.last_synced_at !== null }).toEqual({
        name,
        head: head.data.object.sha,
        synced: true
      })
      const inDb = await db.all<{ sha: string }>(
        'SELECT rc.sha FROM repository_commits rc JOIN repositories r ON r.id = rc.repository_id WHERE r.full_name = ? ORDER BY rc.sha',
        [r.full_name]
      )
      expect(inDb.map((c) => c.sha)).toEqual(await shasOf(world, name))
    }
    expect(
      (await db.all<{ title: string }>('SELECT title FROM issues ORDER BY id')).map((i) => i.title)
    ).toEqual(['first', 'second', 'third', 'beta issue'])
    expect(await db.all('SELECT title, state, base_ref FROM pull_requests')).toEqual([
      { title: 'a change', state: 'open', base_ref: 'main' }
    ])
    expect(
      await db.all(
        "SELECT c.login, c.commits FROM contributors c JOIN repositories r ON r.id = c.repository_id WHERE r.full_name = 'octo/alpha' ORDER BY c.login"
      )
    ).toEqual([
      { login: 'email:ann@example.com', commits: 2 },
      { login: expect.any(String), commits: 1 }
    ])
    const job = await db.get<{
      type: string
      status: string
      counts: string
      rest_requests: number
      repositories_processed: number
    }>(
      'SELECT type, status, counts, rest_requests, repositories_processed FROM sync_jobs WHERE id = ?',
      [first.job_id]
    )
    expect(job).toMatchObject({ type: 'webhook', status: 'succeeded', repositories_processed: 3 })
    // per repository: repos/get, one page each of commits, issues and pulls
    expect(job!.rest_requests).toBe(12)
    expect(JSON.parse(job!.counts)).toMatchObject({ issues: 4, pull_requests: 1, deliveries: 2 })

    // activity after the installation: issues, a push, a pull request closed, a rename
    const issue = await owner.rest.issues.create({ owner: OWNER, repo: 'alpha', title: 'new' })
    await owner.rest.issues.update({
      owner: OWNER,
      repo: 'alpha',
      issue_number: issue.data.number,
      title: 'renamed issue'
    })
    const pushed = await commitFile(owner, 'gamma', 'g.txt', 'g')
    await owner.rest.pulls
      .update({ owner: OWNER, repo: 'beta', pull_number: 5, state: 'closed' })
      .catch(async () => {
        const pulls = await owner.rest.pulls.list({ owner: OWNER, repo: 'beta' })
        await owner.rest.pulls.update({
          owner: OWNER,
          repo: 'beta',
          pull_number: pulls.data[0].number,
          state: 'closed'
        })
      })
    await owner.rest.repos.update({ owner: OWNER, repo: 'gamma', name: 'delta' })
    await emulator.admin.settleWebhooks()
    const events = world.receiver.requests.slice(2).map((r) => r.headers['x-github-event'])
    expect(new Set(events)).toEqual(new Set(['issues', 'push', 'pull_request', 'repository']))
    expect(await pass()).toMatchObject({ processed: events.length, failed: 0 })
    expect(
      await db.get("SELECT full_name, head_sha FROM repositories WHERE full_name = 'octo/delta'")
    ).toEqual({
      full_name: 'octo/delta',
      head_sha: pushed
    })
    expect(await db.get('SELECT title FROM issues WHERE id = ?', [issue.data.id])).toEqual({
      title: 'renamed issue'
    })
    expect(await db.all('SELECT state FROM pull_requests')).toEqual([{ state: 'closed' }])
    const settled = await tableCounts(db)
    expect(settled.deliveries).toBe(world.receiver.requests.length)

    // every request delivered a second time, byte for byte: duplicates, nothing new
    for (const r of [...world.receiver.requests])
      expect(
        await receiveDelivery(db, { headers: r.headers, rawBody: r.body, secret: SECRET })
      ).toMatchObject({
        kind: 'duplicate'
      })
    // and a redelivery through GitHub's API (same GUID, docs/github-behaviour.md §7.1)
    const jwt = appJwt(world.app.private_key, world.app.id)
    const listed = await world.anonymous.request('GET /app/hook/deliveries', {
      headers: { authorization: `Bearer ${jwt}` }
    })
    const target = (listed.data as Array<{ id: number; guid: string; event: string }>).find(
      (d) => d.event === 'push'
    )!
    await world.anonymous.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
      delivery_id: target.id,
      headers: { authorization: `Bearer ${jwt}` }
    })
    await emulator.admin.settleWebhooks()
    const redelivered = world.receiver.requests.at(-1)!
    expect([redelivered.headers['x-github-delivery'], redelivered.outcome.kind]).toEqual([
      target.guid,
      'duplicate'
    ])
    expect(await pass()).toMatchObject({ claimed: 0, job_id: null })
    expect(await tableCounts(db)).toEqual(settled)

    // processing everything again (as after a crash between the writes and the mark): no new
    // row; a login learnt from the REST import fills the push payload's missing one, and from
    // then on another pass changes nothing at all
    const rows = async () => ({
      counts: await tableCounts(db),
      repositories: await db.all(
        'SELECT id, full_name, head_sha, installation_id FROM repositories ORDER BY id'
      ),
      commits: await db.all('SELECT * FROM commits ORDER BY sha'),
      issues: await db.all('SELECT * FROM issues ORDER BY id'),
      contributors: await db.all('SELECT * FROM contributors ORDER BY repository_id, login'),
      pulls: await db.all('SELECT * FROM pull_requests ORDER BY id')
    })
    const reprocess = async () => {
      await db.run("UPDATE deliveries SET status = 'pending'")
      expect(await pass()).toMatchObject({ processed: settled.deliveries, failed: 0 })
      return rows()
    }
    const once = await reprocess()
    expect({ ...once.counts, contributors: 0 }).toEqual({ ...settled, contributors: 0 })
    expect(await reprocess()).toEqual(once)
    const receipts = await db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM deliveries WHERE receipts > 1'
    )
    expect(receipts!.n).toBe(settled.deliveries)
  })

  it('a delivery signed with another secret is answered 401 and stores nothing', async () => {
    const { emulator } = world
    await emulator.admin.createApp({
      slug: `wrong-secret-${engine}`,
      webhook_url: world.receiver.url,
      webhook_secret: 'not the secret'
    })
    const before = await tableCounts(db)
    const seen = world.receiver.requests.length
    await emulator.admin.createInstallation(`wrong-secret-${engine}`, { account: OWNER })
    await emulator.admin.settleWebhooks()
    const answered = world.receiver.requests.slice(seen)
    expect(answered.map((r) => r.headers['x-github-event'])).toContain('installation')
    expect(new Set(answered.map((r) => r.outcome.status))).toEqual(new Set([401]))
    expect(await tableCounts(db)).toEqual(before)
  })

  it('push: a payload listing fewer commits than the push brought is completed through compare', async () => {
    const { owner, emulator } = world
    await emulator.admin.createRepo({ full_name: `${OWNER}/epsilon` })
    const repo = { owner: OWNER, repo: 'epsilon' }
    const base = (await owner.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha
    const tree = (await owner.rest.git.getCommit({ ...repo, commit_sha: base })).data.tree.sha
    let parent = base
    const made: string[] = []
    for (let i = 0; i < 3; i++) {
      const c = await owner.rest.git.createCommit({
        ...repo,
        message: `c${i}`,
        tree,
        parents: [parent]
      })
      made.push(c.data.sha)
      parent = c.data.sha
    }
    const seen = world.receiver.requests.length
    await owner.rest.git.updateRef({ ...repo, ref: 'heads/main', sha: parent })
    await emulator.admin.settleWebhooks()
    const real = world.receiver.requests
      .slice(seen)
      .find((r) => r.headers['x-github-event'] === 'push')!
    const payload = JSON.parse(real.body.toString('utf8')) as { commits: Array<{ id: string }> }
    expect(payload.commits.map((c) => c.id)).toEqual(made)
    await pass() // the real push (and the repository's creation)
    await db.run('DELETE FROM repository_commits WHERE sha IN (?, ?, ?)', made)
    // the same push, its commits list cut to the first one: the head is missing from it
    const cut = signedDelivery('push', { ...payload, commits: payload.commits.slice(0, 1) })
    await receiveDelivery(db, { ...cut, secret: SECRET })
    const result = await pass()
    expect(result).toMatchObject({ processed: 1, failed: 0 })
    expect(result.spend.rest_requests).toBe(1) // one compare
    const rows = await db.all<{ sha: string }>(
      "SELECT rc.sha FROM repository_commits rc JOIN repositories r ON r.id = rc.repository_id WHERE r.full_name = 'octo/epsilon' ORDER BY rc.sha"
    )
    expect(rows.map((r) => r.sha)).toEqual(await shasOf(world, 'epsilon'))
    expect(rows.map((r) => r.sha)).toEqual(expect.arrayContaining(made))
  })

  it('push: a payload capped at 2,048 commits is completed from the commits listing', async () => {
    const { emulator } = world
    const name = `bulk-${engine}`
    await emulator.admin.createRepo({ full_name: `${OWNER}/${name}`, auto_init: false })
    const seen = world.receiver.requests.length
    await pushHistory(world, name, 2_100)
    await emulator.admin.settleWebhooks()
    const push = world.receiver.requests
      .slice(seen)
      .find((r) => r.headers['x-github-event'] === 'push')!
    expect((JSON.parse(push.body.toString('utf8')) as { commits: unknown[] }).commits).toHaveLength(
      2_048
    )
    const result = await pass()
    expect(result).toMatchObject({ failed: 0 })
    // the repository.created import (repos/get, commits, issues, pulls: 4), then 21 pages of
    // list-commits for the push (a new branch: no compare)
    expect(result.spend.rest_requests).toBe(4 + 21)
    const n = await db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM repository_commits rc JOIN repositories r ON r.id = rc.repository_id WHERE r.full_name = ?',
      [`${OWNER}/${name}`]
    )
    expect(n).toEqual({ n: 2_100 })
    expect(
      await db.all(
        'SELECT c.login, c.commits FROM contributors c JOIN repositories r ON r.id = c.repository_id WHERE r.full_name = ?',
        [`${OWNER}/${name}`]
      )
    ).toEqual([{ login: 'email:bulk@example.com', commits: 2_100 }])
  })
})
