import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { verify } from '@octokit/webhooks-methods'
import { graphql } from '@octokit/graphql'
import { gitEnv, gitOk, newGitRepo, useScratchDirs } from '../git-http/support.js'
import { client, OWNER, TOKENS, uniqueRepo, useTestEmulator } from '../support.js'
import { Receiver, schemaErrors, webhookSchema } from './support.js'

const DEFINITIONS = [
  'issues$edited',
  'issues$closed',
  'issues$reopened',
  'issues$labeled',
  'issues$unlabeled',
  'issue_comment$edited',
  'issue_comment$deleted',
  'push$event',
  'installation$deleted',
  'installation_repositories$added',
  'installation_repositories$removed'
]
// Compiled before the emulator starts (a compile blocks the event loop for seconds).
for (const d of DEFINITIONS) webhookSchema(d)

const emulator = useTestEmulator()
const scratch = useScratchDirs()
const SECRET = 'every-event-secret'
const receiver = new Receiver()

beforeAll(() => receiver.start())
afterAll(() => receiver.close())

/** A repository with a webhook for every event (`*`) to the receiver. */
async function hookedRepo(prefix: string) {
  const r = await newGitRepo(emulator, prefix)
  await client(emulator, TOKENS.owner).rest.repos.createWebhook({
    owner: r.owner,
    repo: r.repo,
    config: { url: receiver.url, content_type: 'json', secret: SECRET },
    events: ['*']
  })
  await emulator.admin.settleWebhooks()
  return { owner: r.owner, repo: r.repo, url: r.url }
}

/** The deliveries since `from`, parsed, each checked for a valid signature. */
async function since(from: number) {
  await emulator.admin.settleWebhooks()
  const got = receiver.received.slice(from)
  for (const d of got)
    expect(await verify(SECRET, d.body, String(d.headers['x-hub-signature-256']))).toBe(true)
  return got.map((d) => ({
    event: String(d.headers['x-github-event']),
    payload: JSON.parse(d.body) as Record<string, unknown>
  }))
}

describe('webhook events', () => {
  test('issues edited / closed / reopened / labeled / unlabeled and comment edited / deleted', async () => {
    const { url: _u, ...r } = await hookedRepo('every-issue-event')
    const owner = client(emulator, TOKENS.owner)
    const from = receiver.received.length
    const { data: issue } = await owner.rest.issues.create({ ...r, title: 'One' })
    const issue_number = issue.number
    await owner.rest.issues.update({ ...r, issue_number, title: 'Two' })
    await owner.rest.issues.addLabels({ ...r, issue_number, labels: ['bug'] })
    await owner.rest.issues.removeLabel({ ...r, issue_number, name: 'bug' })
    await owner.rest.issues.update({ ...r, issue_number, state: 'closed' })
    await owner.rest.issues.update({ ...r, issue_number, state: 'open' })
    const { data: comment } = await owner.rest.issues.createComment({
      ...r,
      issue_number,
      body: 'hi'
    })
    await owner.rest.issues.updateComment({ ...r, comment_id: comment.id, body: 'hello' })
    await owner.rest.issues.deleteComment({ ...r, comment_id: comment.id })
    const got = await since(from)
    expect(got.map((d) => `${d.event}.${String(d.payload.action)}`)).toEqual([
      'issues.opened',
      'issues.edited',
      'issues.labeled',
      'issues.unlabeled',
      'issues.closed',
      'issues.reopened',
      'issue_comment.created',
      'issue_comment.edited',
      'issue_comment.deleted'
    ])
    for (const d of got.slice(1)) {
      if (d.event === 'issue_comment' && d.payload.action === 'created') continue
      expect(schemaErrors(`${d.event}$${String(d.payload.action)}`, d.payload)).toEqual([])
    }
    expect(got[1].payload.changes).toEqual({ title: { from: 'One' } })
    expect((got[2].payload.label as { name: string }).name).toBe('bug')
    expect((got[8].payload.comment as { body: string }).body).toBe('hello')
  })

  test('push from a contents write, createCommitOnBranch and git-data refs', async () => {
    const { url: _u, ...r } = await hookedRepo('every-push')
    const owner = client(emulator, TOKENS.owner)
    const from = receiver.received.length
    const put = await owner.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'a.txt',
      message: 'add a',
      content: Buffer.from('a\n').toString('base64')
    })
    const head = put.data.commit.sha!
    const gql = graphql.defaults({
      baseUrl: emulator.url,
      headers: { authorization: `token ${TOKENS.owner}` }
    })
    const made = await gql<{ createCommitOnBranch: { commit: { oid: string } } }>(
      `mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }`,
      {
        input: {
          branch: { repositoryNameWithOwner: `${r.owner}/${r.repo}`, branchName: 'main' },
          expectedHeadOid: head,
          message: { headline: 'add b' },
          fileChanges: {
            additions: [{ path: 'b.txt', contents: Buffer.from('b\n').toString('base64') }]
          }
        }
      }
    )
    const oid = made.createCommitOnBranch.commit.oid
    await owner.rest.git.createRef({ ...r, ref: 'refs/heads/side', sha: oid })
    await owner.rest.git.updateRef({ ...r, ref: 'heads/side', sha: head, force: true })
    await owner.rest.git.deleteRef({ ...r, ref: 'heads/side' })
    const got = await since(from)
    expect(got.map((d) => d.event)).toEqual(['push', 'push', 'push', 'push', 'push'])
    for (const d of got) expect(schemaErrors('push$event', d.payload)).toEqual([])
    const p = got.map((d) => d.payload)
    expect(p[0]).toMatchObject({ ref: 'refs/heads/main', after: head })
    expect((p[0].commits as Array<{ added: string[] }>)[0].added).toEqual(['a.txt'])
    expect(p[1]).toMatchObject({ ref: 'refs/heads/main', before: head, after: oid })
    expect(p[2]).toMatchObject({ ref: 'refs/heads/side', created: true, after: oid })
    expect(p[3]).toMatchObject({ ref: 'refs/heads/side', before: oid, after: head, forced: true })
    expect(p[4]).toMatchObject({ ref: 'refs/heads/side', deleted: true, head_commit: null })
  })

  test('git push of three tags sends their push events; of four tags, none', async () => {
    const r = await hookedRepo('tags')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    for (const t of ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4']) await gitOk(['tag', t], work, env)
    let from = receiver.received.length
    await gitOk(['push', '--quiet', 'origin', 'a1', 'a2', 'a3'], work, env)
    expect((await since(from)).map((d) => d.payload.ref).sort()).toEqual([
      'refs/tags/a1',
      'refs/tags/a2',
      'refs/tags/a3'
    ])
    from = receiver.received.length
    writeFileSync(join(work, 'c.txt'), 'c\n')
    await gitOk(['add', 'c.txt'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'c'], work, env)
    await gitOk(['push', '--quiet', 'origin', 'main', 'b1', 'b2', 'b3', 'b4'], work, env)
    expect((await since(from)).map((d) => d.payload.ref)).toEqual(['refs/heads/main'])
  })

  test('installation deleted and installation_repositories added / removed reach the App', async () => {
    const app = await emulator.admin.createApp({
      slug: `events-app-${process.pid}`,
      webhook_url: receiver.url,
      webhook_secret: SECRET
    })
    const names = [uniqueRepo('inst-a'), uniqueRepo('inst-b')]
    for (const n of names) await emulator.admin.createRepo({ full_name: `${OWNER}/${n}` })
    const { id } = await emulator.admin.createInstallation(app.slug, {
      account: OWNER,
      repositories: [names[0]]
    })
    await emulator.admin.settleWebhooks()
    const from = receiver.received.length
    await emulator.admin.changeInstallationRepositories(id, { add: [names[1]] })
    await emulator.admin.changeInstallationRepositories(id, { remove: [names[0]] })
    await emulator.admin.deleteInstallation(id)
    const got = await since(from)
    expect(got.map((d) => `${d.event}.${String(d.payload.action)}`)).toEqual([
      'installation_repositories.added',
      'installation_repositories.removed',
      'installation.deleted'
    ])
    for (const d of got)
      expect(schemaErrors(`${d.event}$${String(d.payload.action)}`, d.payload)).toEqual([])
    expect((got[0].payload.repositories_added as Array<{ name: string }>)[0].name).toBe(names[1])
    expect((got[1].payload.repositories_removed as Array<{ name: string }>)[0].name).toBe(names[0])
  })
})
