import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { verify } from '@octokit/webhooks-methods'
import { appJwt, T0_S } from '../apps/support.js'
import { gitEnv, gitOk, newGitRepo, useScratchDirs } from '../git-http/support.js'
import { client, OWNER, TOKENS, uniqueRepo, useTestEmulator } from '../support.js'
import { Receiver, schemaErrors, webhookSchema } from './support.js'

const DEFINITIONS = [
  'ping$event',
  'push$event',
  'issues$opened',
  'issue_comment$created',
  'repository$created',
  'installation$created'
]

// Compiled before the emulator starts: a compile blocks the event loop for seconds, long enough
// for a kept-alive connection to the emulator to time out under a request being sent.
for (const d of DEFINITIONS) webhookSchema(d)

const emulator = useTestEmulator()
const scratch = useScratchDirs()
const SECRET = "It's a Secret to Everybody"
const APP_SECRET = 'app-webhook-secret'
const receiver = new Receiver()
let app: { id: number; slug: string; private_key: string }

beforeAll(async () => {
  await receiver.start()
  app = await emulator.admin.createApp({
    slug: `hooks-app-${process.pid}`,
    webhook_url: receiver.url,
    webhook_secret: APP_SECRET,
    events: ['push', 'issues', 'issue_comment', 'repository']
  })
  await emulator.admin.settleWebhooks()
})
afterAll(() => receiver.close())

function appClient() {
  return client(emulator, appJwt(app.private_key, app.id, T0_S))
}

/** Every delivery since `from` to the App's URL, as the receiver got them. */
async function settled(from: number) {
  await emulator.admin.settleWebhooks()
  return receiver.received.slice(from)
}

/** The delivery's signature checks out under `secret` (`@octokit/webhooks-methods` verify). */
async function signedBy(secret: string, r: { headers: Record<string, unknown>; body: string }) {
  return verify(secret, r.body, String(r.headers['x-hub-signature-256']))
}

async function commitFiles(work: string, env: NodeJS.ProcessEnv, count: number, tag: string) {
  for (let i = 1; i <= count; i++) {
    writeFileSync(join(work, `${tag}-${i}.txt`), `${tag} ${i}\n`)
    await gitOk(['add', '.'], work, env)
    await gitOk(['commit', '--quiet', '-m', `${tag} commit ${i}`], work, env)
  }
}

/** `count` commits on top of HEAD in one `git fast-import` (each adds one file). */
function fastImport(work: string, env: NodeJS.ProcessEnv, count: number): Promise<void> {
  let stream = ''
  for (let i = 1; i <= count; i++) {
    const data = `line ${i}\n`
    const msg = `bulk ${i}\n`
    stream += `commit refs/heads/main\ncommitter Bulk <bulk@example.com> ${1735689600 + i} +0000\n`
    stream += `data ${Buffer.byteLength(msg)}\n${msg}`
    if (i === 1) stream += 'from refs/heads/main^0\n'
    stream += `M 100644 inline bulk/${i}.txt\ndata ${Buffer.byteLength(data)}\n${data}\n`
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], {
      cwd: work,
      env,
      stdio: ['pipe', 'ignore', 'pipe']
    })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err))))
    // a failing fast-import may exit before reading all: its exit code and stderr decide
    child.stdin.on('error', () => undefined)
    child.stdin.end(stream)
  })
}

describe('webhook deliveries', () => {
  test('repository webhook: created with a ping, the secret never echoed', async () => {
    const r = await newGitRepo(emulator, 'hook-crud')
    const owner = client(emulator, TOKENS.owner)
    const from = receiver.received.length
    const created = await owner.rest.repos.createWebhook({
      owner: r.owner,
      repo: r.repo,
      config: { url: receiver.url, content_type: 'json', secret: SECRET },
      events: ['push', 'issues']
    })
    expect(created.status).toBe(201)
    expect(created.data.config).toEqual({
      url: receiver.url,
      content_type: 'json',
      insecure_ssl: '0',
      secret: '********'
    })
    const got = await settled(from)
    expect(got.map((d) => d.headers['x-github-event'])).toEqual(['ping'])
    const ping = JSON.parse(got[0].body) as Record<string, unknown>
    expect(schemaErrors('ping$event', ping)).toEqual([])
    expect(ping.hook_id).toBe(created.data.id)
    expect(got[0].headers['x-github-hook-id']).toBe(String(created.data.id))
    expect(await signedBy(SECRET, got[0])).toBe(true)
    const reader = client(emulator, TOKENS.reader)
    await expect(
      reader.rest.repos.listWebhooks({ owner: r.owner, repo: r.repo })
    ).rejects.toMatchObject({ status: 404 })
    const list = await owner.rest.repos.listWebhooks({ owner: r.owner, repo: r.repo })
    expect(list.data.map((h) => h.id)).toEqual([created.data.id])
    await owner.rest.repos.deleteWebhook({ owner: r.owner, repo: r.repo, hook_id: created.data.id })
    await expect(
      owner.rest.repos.getWebhook({ owner: r.owner, repo: r.repo, hook_id: created.data.id })
    ).rejects.toMatchObject({ status: 404 })
  })

  test('installation created: the App gets a signed, schema-valid installation event', async () => {
    const from = receiver.received.length
    const installation = await emulator.admin.createInstallation(app.slug, { account: OWNER })
    const got = (await settled(from)).filter((d) => d.headers['x-github-event'] === 'installation')
    expect(got).toHaveLength(1)
    const payload = JSON.parse(got[0].body) as { action: string; installation: { id: number } }
    expect(payload.action).toBe('created')
    expect(payload.installation.id).toBe(installation.id)
    expect(schemaErrors('installation$created', payload)).toEqual([])
    expect(await signedBy(APP_SECRET, got[0])).toBe(true)
    expect(got[0].headers).toMatchObject({
      'x-github-hook-id': String(app.id),
      'x-github-hook-installation-target-type': 'integration',
      'x-github-hook-installation-target-id': String(app.id),
      'content-type': 'application/json'
    })
    expect(String(got[0].headers['user-agent'])).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/)
    expect(String(got[0].headers['x-github-delivery'])).toMatch(/^[0-9a-f-]{36}$/)
    expect(String(got[0].headers['x-hub-signature'])).toMatch(/^sha1=[0-9a-f]{40}$/)
  })

  test('repository created, issue opened, comment created: App deliveries with installation', async () => {
    const from = receiver.received.length
    const name = uniqueRepo('hooked')
    await emulator.admin.createRepo({ full_name: `${OWNER}/${name}` })
    const owner = client(emulator, TOKENS.owner)
    const issue = await owner.rest.issues.create({ owner: OWNER, repo: name, title: 'Hello' })
    await owner.rest.issues.createComment({
      owner: OWNER,
      repo: name,
      issue_number: issue.data.number,
      body: 'First!'
    })
    await settled(from)
    const mine = (event: string, action: string) =>
      receiver
        .of(event, action)
        .filter((d) => (d.payload.repository as { name: string }).name === name)
    const checks: Array<[string, string, string]> = [
      ['repository', 'created', 'repository$created'],
      ['issues', 'opened', 'issues$opened'],
      ['issue_comment', 'created', 'issue_comment$created']
    ]
    for (const [event, action, definition] of checks) {
      const got = mine(event, action)
      expect(got).toHaveLength(1)
      expect(schemaErrors(definition, got[0].payload)).toEqual([])
      expect(await signedBy(APP_SECRET, got[0])).toBe(true)
      expect(got[0].payload.installation).toEqual({
        id: expect.any(Number),
        node_id: expect.any(String)
      })
    }
    expect((mine('issues', 'opened')[0].payload.issue as { title: string }).title).toBe('Hello')
    expect((mine('issue_comment', 'created')[0].payload.comment as { body: string }).body).toBe(
      'First!'
    )
  })

  test('git push of 3 commits: one push event with the 3 commits, signed, schema-valid', async () => {
    const r = await newGitRepo(emulator, 'push3')
    const owner = client(emulator, TOKENS.owner)
    const hook = await owner.rest.repos.createWebhook({
      owner: r.owner,
      repo: r.repo,
      config: { url: receiver.url, content_type: 'json', secret: SECRET },
      events: ['push']
    })
    await emulator.admin.settleWebhooks()
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    const before = (await gitOk(['rev-parse', 'HEAD'], work, env)).trim()
    await commitFiles(work, env, 3, 'three')
    const after = (await gitOk(['rev-parse', 'HEAD'], work, env)).trim()
    const from = receiver.received.length
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    const all = await settled(from)
    const pushes = all
      .filter((d) => d.headers['x-github-event'] === 'push')
      .map((d) => ({ ...d, payload: JSON.parse(d.body) as Record<string, unknown> }))
    // one to the repository webhook, one to the App installed on the account
    expect(pushes.map((p) => p.headers['x-github-hook-installation-target-type']).sort()).toEqual([
      'integration',
      'repository'
    ])
    for (const p of pushes) {
      expect(schemaErrors('push$event', p.payload)).toEqual([])
      expect(p.payload).toMatchObject({
        ref: 'refs/heads/main',
        before,
        after,
        created: false,
        forced: false
      })
      const commits = p.payload.commits as Array<{ message: string; added: string[] }>
      expect(commits.map((c) => c.message)).toEqual([
        'three commit 1',
        'three commit 2',
        'three commit 3'
      ])
      expect(commits[0].added).toEqual(['three-1.txt'])
      expect((p.payload.head_commit as { id: string }).id).toBe(after)
    }
    const repoHook = pushes.find((p) => p.headers['x-github-hook-id'] === String(hook.data.id))!
    expect(await signedBy(SECRET, repoHook)).toBe(true)
    const appHook = pushes.find((p) => p.headers['x-github-hook-id'] === String(app.id))!
    expect(await signedBy(APP_SECRET, appHook)).toBe(true)
    expect(await signedBy(SECRET, appHook)).toBe(false)
  })

  test('a push of 3,000 commits carries 2,048 of them, the newest last', async () => {
    const r = await newGitRepo(emulator, 'push3000')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    await fastImport(work, env, 3000)
    const after = (await gitOk(['rev-parse', 'refs/heads/main'], work, env)).trim()
    const from = receiver.received.length
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    const push = (await settled(from))
      .filter((d) => d.headers['x-github-event'] === 'push')
      .map(
        (d) =>
          JSON.parse(d.body) as { commits: Array<{ id: string; message: string }>; after: string }
      )
    expect(push).toHaveLength(1)
    expect(push[0].after).toBe(after)
    expect(push[0].commits).toHaveLength(2048)
    expect(push[0].commits[2047]).toMatchObject({ id: after, message: 'bulk 3000' })
    expect(push[0].commits[0].message).toBe('bulk 953')
  }, 120_000)

  test('a dropped delivery shows as failed, is redelivered with the same GUID; not after 3 days', async () => {
    const name = uniqueRepo('dropped')
    await emulator.admin.createRepo({ full_name: `${OWNER}/${name}` })
    await emulator.admin.settleWebhooks()
    await emulator.admin.addWebhookFault({ mode: 'drop', count: 1 })
    const from = receiver.received.length
    const owner = client(emulator, TOKENS.owner)
    await owner.rest.issues.create({ owner: OWNER, repo: name, title: 'Lost' })
    expect(await settled(from)).toEqual([])
    const jwt = appClient()
    const list = await jwt.request('GET /app/hook/deliveries', { per_page: 1 })
    const [failed] = list.data
    expect(failed).toMatchObject({
      event: 'issues',
      action: 'opened',
      status_code: 0,
      redelivery: false
    })
    expect(failed.status).not.toBe('OK')
    expect(list.headers.link).toMatch(/cursor=v1_\d+>; rel="next"/)
    const full = await jwt.request('GET /app/hook/deliveries/{delivery_id}', {
      delivery_id: Number(failed.id)
    })
    expect(full.data.request.headers).toMatchObject({ 'X-GitHub-Delivery': failed.guid })

    const redelivered = await jwt.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
      delivery_id: Number(failed.id)
    })
    expect(redelivered.status).toBe(202)
    const got = await settled(from)
    expect(got).toHaveLength(1)
    expect(got[0].headers['x-github-delivery']).toBe(failed.guid)
    expect(await signedBy(APP_SECRET, got[0])).toBe(true)
    expect(schemaErrors('issues$opened', JSON.parse(got[0].body))).toEqual([])
    const after = await jwt.request('GET /app/hook/deliveries', { per_page: 2 })
    expect(after.data[0]).toMatchObject({
      guid: failed.guid,
      redelivery: true,
      status: 'OK',
      status_code: 200
    })

    await emulator.admin.advanceClock(3 * 24 * 3600 * 1000 + 1000)
    const late = client(emulator, appJwt(app.private_key, app.id, T0_S + 3 * 24 * 3600 + 1))
    await expect(
      late.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
        delivery_id: Number(failed.id)
      })
    ).rejects.toMatchObject({ status: 422 })
    expect(await settled(from)).toHaveLength(1)
  })
})
