import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { verify } from '@octokit/webhooks-methods'
import { appJwt, T0_S } from '../apps/support.js'
import { gitEnv, gitOk, newGitRepo, useScratchDirs } from '../git-http/support.js'
import { client, OWNER, TOKENS, uniqueRepo, useTestEmulator } from '../support.js'
import { Receiver, schemaErrors, webhookSchema } from './support.js'

const DEFINITIONS = [
  'pull_request$opened',
  'pull_request$edited',
  'pull_request$closed',
  'push$event',
  'repository$created',
  'repository$renamed',
  'repository$deleted'
]
// Compiled before the emulator starts (a compile blocks the event loop for seconds).
for (const d of DEFINITIONS) webhookSchema(d)

const emulator = useTestEmulator()
const scratch = useScratchDirs()
const APP_SECRET = 'activity-app-secret'
const HOOK_SECRET = 'activity-hook-secret'
const receiver = new Receiver()
let app: { id: number; slug: string; private_key: string }
let installationId = 0

beforeAll(async () => {
  await receiver.start()
  app = await emulator.admin.createApp({
    slug: `activity-app-${process.pid}`,
    webhook_url: receiver.url,
    webhook_secret: APP_SECRET,
    events: ['pull_request', 'push', 'repository']
  })
  // no `repositories`: installed on all of the account's repositories, present and future
  installationId = (await emulator.admin.createInstallation(app.slug, { account: OWNER })).id
  await emulator.admin.settleWebhooks()
})
afterAll(() => receiver.close())

interface Delivery {
  hook: string
  event: string
  action: string | undefined
  payload: Record<string, unknown>
}

/**
 * The deliveries since `from` about the repositories `names` (by `repository.name`; a new
 * repository webhook's `ping` left out), each checked for a valid signature under its hook's
 * secret, against its event's schema, and for the App's `installation`.
 */
async function since(from: number, names: string[]): Promise<Delivery[]> {
  await emulator.admin.settleWebhooks()
  const out: Delivery[] = []
  for (const d of receiver.received.slice(from)) {
    const event = String(d.headers['x-github-event'])
    if (event === 'ping') continue
    const payload = JSON.parse(d.body) as Record<string, unknown>
    if (!names.includes((payload.repository as { name: string }).name)) continue
    const hook = String(d.headers['x-github-hook-installation-target-type'])
    const secret = hook === 'integration' ? APP_SECRET : HOOK_SECRET
    expect(await verify(secret, d.body, String(d.headers['x-hub-signature-256']))).toBe(true)
    const action = payload.action as string | undefined
    expect(schemaErrors(event === 'push' ? 'push$event' : `${event}$${action}`, payload)).toEqual(
      []
    )
    if (hook === 'integration')
      expect(payload.installation).toEqual({ id: installationId, node_id: expect.any(String) })
    out.push({ hook, event, action, payload })
  }
  return out
}

describe('webhook events: pull requests and the repository lifecycle', () => {
  test('a pull request opened, edited and merged (real git branch, PUT merge): pull_request opened / edited / closed merged, and the merge push', async () => {
    const r = await newGitRepo(emulator, 'pr-hooks')
    const owner = client(emulator, TOKENS.owner)
    const { data: hook } = await owner.rest.repos.createWebhook({
      owner: r.owner,
      repo: r.repo,
      config: { url: receiver.url, content_type: 'json', secret: HOOK_SECRET },
      events: ['pull_request']
    })
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    const base = (await gitOk(['rev-parse', 'HEAD'], work, env)).trim()
    await gitOk(['checkout', '--quiet', '-b', 'feature'], work, env)
    for (const i of [1, 2]) {
      writeFileSync(join(work, `feature-${i}.txt`), `feature ${i}\n`)
      await gitOk(['add', '.'], work, env)
      await gitOk(['commit', '--quiet', '-m', `feature commit ${i}`], work, env)
    }
    const head = (await gitOk(['rev-parse', 'HEAD'], work, env)).trim()
    await gitOk(['push', '--quiet', 'origin', 'feature'], work, env)
    await emulator.admin.settleWebhooks()

    const from = receiver.received.length
    const { data: pr } = await owner.rest.pulls.create({
      owner: r.owner,
      repo: r.repo,
      title: 'Add the feature',
      head: 'feature',
      base: 'main'
    })
    await owner.rest.pulls.update({
      owner: r.owner,
      repo: r.repo,
      pull_number: pr.number,
      title: 'Add the feature files'
    })
    const { data: merge } = await owner.rest.pulls.merge({
      owner: r.owner,
      repo: r.repo,
      pull_number: pr.number
    })
    expect(merge.merged).toBe(true)
    const got = await since(from, [r.repo])

    const toApp = got.filter((d) => d.hook === 'integration')
    expect(toApp.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual([
      'pull_request.opened',
      'pull_request.edited',
      'push.',
      'pull_request.closed'
    ])
    // the repository webhook asked for pull_request only
    const repoHook = got.filter((d) => d.hook === 'repository')
    expect(repoHook.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual([
      'pull_request.opened',
      'pull_request.edited',
      'pull_request.closed'
    ])
    expect(hook.id).toEqual(expect.any(Number))

    const [opened, edited, push, closed] = toApp
    expect(opened.payload).toMatchObject({
      action: 'opened',
      number: pr.number,
      pull_request: {
        number: pr.number,
        state: 'open',
        title: 'Add the feature',
        merged: false,
        merged_at: null,
        commits: 2,
        changed_files: 2,
        additions: 2,
        user: { login: OWNER },
        head: { ref: 'feature', sha: head, label: `${OWNER}:feature`, repo: { name: r.repo } },
        base: { ref: 'main', sha: base }
      },
      repository: { name: r.repo, owner: { login: OWNER } },
      sender: { login: OWNER }
    })
    expect(edited.payload).toMatchObject({
      action: 'edited',
      changes: { title: { from: 'Add the feature' } },
      pull_request: { title: 'Add the feature files', state: 'open' }
    })
    expect(closed.payload).toMatchObject({
      action: 'closed',
      number: pr.number,
      pull_request: {
        state: 'closed',
        merged: true,
        merged_at: expect.any(String),
        merge_commit_sha: merge.sha,
        merged_by: { login: OWNER },
        head: { sha: head },
        base: { sha: base }
      }
    })
    expect(push.payload).toMatchObject({
      ref: 'refs/heads/main',
      before: base,
      after: merge.sha,
      created: false,
      forced: false,
      head_commit: { id: merge.sha }
    })
    const messages = (push.payload.commits as Array<{ message: string }>).map((c) => c.message)
    expect(messages.slice(0, 2)).toEqual(['feature commit 1', 'feature commit 2'])
    expect(messages).toHaveLength(3)
  })

  test('POST /user/repos, PATCH rename and DELETE deliver repository created / renamed / deleted to the App installed on all repositories', async () => {
    const owner = client(emulator, TOKENS.owner)
    const name = uniqueRepo('lifecycle')
    const renamed = `${name}-renamed`
    const from = receiver.received.length
    const { data: created } = await owner.rest.repos.createForAuthenticatedUser({
      name,
      auto_init: true
    })
    // a repository webhook on it: it hears the rename, and is deleted with the repository
    const { data: hook } = await owner.rest.repos.createWebhook({
      owner: OWNER,
      repo: name,
      config: { url: receiver.url, content_type: 'json', secret: HOOK_SECRET },
      events: ['repository']
    })
    await owner.rest.repos.update({ owner: OWNER, repo: name, name: renamed })
    await owner.rest.repos.delete({ owner: OWNER, repo: renamed })
    const got = await since(from, [name, renamed])

    // each hook's deliveries go out in order (different hooks' may interleave)
    const toApp = got.filter((d) => d.hook === 'integration')
    expect(toApp.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual([
      'repository.created',
      'repository.renamed',
      'repository.deleted'
    ])
    // the repository webhook hears the rename, not the deletion (it is deleted with the repository)
    const repoHook = got.filter((d) => d.hook === 'repository')
    expect(repoHook.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual(['repository.renamed'])
    const [c, rn, del] = toApp
    expect(c.payload).toMatchObject({
      repository: { id: created.id, name, full_name: `${OWNER}/${name}` },
      sender: { login: OWNER }
    })
    expect(rn.payload).toMatchObject({
      changes: { repository: { name: { from: name } } },
      repository: { id: created.id, name: renamed, full_name: `${OWNER}/${renamed}` }
    })
    expect(del.payload).toMatchObject({
      repository: {
        id: created.id,
        name: renamed,
        full_name: `${OWNER}/${renamed}`,
        owner: { login: OWNER }
      },
      sender: { login: OWNER }
    })
    expect(del.payload.repository).not.toHaveProperty('permissions')
    // the App's delivery log keeps the deleted repository's id
    const log = await client(emulator, appJwt(app.private_key, app.id, T0_S)).request(
      'GET /app/hook/deliveries',
      { per_page: 100 }
    )
    const logged = log.data.find((d) => d.event === 'repository' && d.action === 'deleted')
    expect(logged).toMatchObject({ repository_id: created.id, installation_id: installationId })
    // the webhook went with the repository
    const again = await owner.rest.repos
      .getWebhook({ owner: OWNER, repo: renamed, hook_id: hook.id })
      .catch((e: { status: number }) => e.status)
    expect(again).toBe(404)
  })
})
