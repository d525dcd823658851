/**
 * Issue 16 through the CLI (run in-process, support/in-process.ts, against the emulator; state read back from it):
 * gh-store's version numbering (`--version-numbering`, config.yml `hubstore.version_numbering`),
 * `store.retries` as the client's retries (counted in the ledger) and `store.log` as the level and
 * format of what objects commands print on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createGitHubClient,
  createObject,
  getObject,
  processUpdates,
  updateObject,
  type RepoContext
} from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runCli, type CliRun } from './support/in-process.js'

const LIST_ROUTE = '/repos/{owner}/{repo}/issues'
let emulator: Emulator
let dir: string
let repoCount = 0

/** Runs the CLI in-process (support/in-process.ts): exit code and output, as a child shows them. */
function hubstore(repository: string, args: string[]): Promise<CliRun> {
  return runCli([...args, '--repo', repository], {
    env: {
      HOME: dir,
      GITHUB_API_URL: emulator.url,
      GITHUB_TOKEN: 'app-owner',
      HUBSTORE_WRITE_SPACING_MS: '0',
      HUBSTORE_RETRY_AFTER_BASE_MS: '1'
    }
  })
}

async function configFile(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

async function freshRepo(): Promise<{ repository: string; ctx: RepoContext }> {
  const repository = `octocat/applied-${++repoCount}`
  await emulator.admin.createRepo({ full_name: repository })
  const [owner, repo] = repository.split('/') as [string, string]
  const octokit = createGitHubClient({
    token: 'app-owner',
    baseUrl: emulator.url,
    throttle: { writeSpacingMs: 0 }
  })
  return { repository, ctx: { octokit, owner, repo } }
}

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: 'app-owner', login: 'octocat', permission: 'admin' })
  dir = await mkdtemp(join(tmpdir(), 'hubstore-applied-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

describe('hubstore objects: config.yml retries, log and version numbering applied', () => {
  it("--version-numbering gh-store (or hubstore.version_numbering in config.yml): objects get reports gh-store's comments + 1, objects list and snapshot 1", async () => {
    const { repository, ctx } = await freshRepo()
    const n = (await createObject(ctx, 'cart', { items: 1 })).meta.issueNumber
    await updateObject(ctx, 'cart', { items: 2 })
    await processUpdates(ctx, n)
    await ctx.octokit.rest.issues.createComment({
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: n,
      body: 'a question about this cart'
    })
    // gh-store's `get`: len(issue.get_comments()) + 1, counted here from the emulator.
    const comments = await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: n,
      per_page: 100
    })
    const ghStoreVersion = comments.length + 1
    expect(ghStoreVersion).toBe(4)
    const version = async (args: string[]) => {
      const r = await hubstore(repository, [...args, '--json'])
      expect([r.code, r.stderr]).toEqual([0, ''])
      return (JSON.parse(r.stdout) as { version: number }).version
    }
    expect((await getObject(ctx, 'cart')).meta.version).toBe(3) // hubstore's: the comment count
    expect(await version(['objects', 'get', 'cart', '--version-numbering', 'gh-store'])).toBe(
      ghStoreVersion
    )
    const numbered = await configFile('numbered.yml', 'hubstore:\n  version_numbering: gh-store\n')
    expect(await version(['objects', 'get', 'cart', '--config', numbered])).toBe(ghStoreVersion)

    const list = await hubstore(repository, ['objects', 'list', '--json', '--config', numbered])
    expect(JSON.parse(list.stdout).objects.map((o: { version: number }) => o.version)).toEqual([1])
    const file = join(dir, `snapshot-${repoCount}.json`)
    const snap = await hubstore(repository, [
      'snapshot',
      '-o',
      file,
      '--version-numbering',
      'gh-store'
    ])
    expect(snap.code).toBe(0)
    const written = JSON.parse(await readFile(file, 'utf8')) as {
      objects: Record<string, { meta: { version: number } }>
    }
    expect(written.objects.cart?.meta.version).toBe(1)

    const bad = await hubstore(repository, ['objects', 'get', 'cart', '--version-numbering', 'py'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('hubstore, gh-store')
  })

  it('store.retries.max_attempts: a 502 on every try is sent max_attempts times in all (ledger), each retry a warning line, then exit 1', async () => {
    const { repository } = await freshRepo()
    const two = await configFile(
      'two.yml',
      'store:\n  retries:\n    max_attempts: 2\n    backoff_factor: 2\n  log:\n    format: "{level}: {message}"\n'
    )
    const run = async (args: string[]) => {
      await emulator.admin.clearLedger()
      const fault = await emulator.admin.addFault({ method: 'GET', route: LIST_ROUTE, status: 502 })
      const r = await hubstore(repository, ['objects', 'list', ...args])
      await emulator.admin.clearFaults(fault.id)
      const sent = (await emulator.admin.ledger()).filter((e) => e.route === LIST_ROUTE)
      return { ...r, sent: sent.length }
    }
    const configured = await run(['--config', two])
    expect([configured.code, configured.sent]).toEqual([1, 2])
    expect(configured.stderr.split('\n').filter((l) => l.includes('retrying'))).toEqual([
      expect.stringMatching(
        /^WARNING: hubstore: retrying GET \/repos\/octocat\/applied-\d+\/issues \(attempt 2\) after 502/
      )
    ])
    // Without a config file, hubstore's own policy: 1 + 3 retries.
    const plain = await run([])
    expect([plain.code, plain.sent]).toEqual([1, 4])
  })

  it('store.log: level WARNING prints no info line of a sweep; DEBUG with format json prints one JSON object per line, a request line per ledger entry', async () => {
    const { repository, ctx } = await freshRepo()
    await createObject(ctx, 'cart', { items: 1 })
    await updateObject(ctx, 'cart', { items: 2 })
    await createObject(ctx, 'bag', { items: 1 })
    await updateObject(ctx, 'bag', { items: 2 })

    const quiet = await configFile('quiet.yml', 'store:\n  log:\n    level: warning\n')
    const r = await hubstore(repository, ['process-updates', '--config', quiet])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('#1 cart: 1 applied')
    expect(r.stderr).toBe('')

    await updateObject(ctx, 'cart', { items: 3 })
    const plain = await hubstore(repository, ['process-updates'])
    expect(plain.stderr.split('\n')[0]).toBe('Sweeping 1 open object(s).')

    await updateObject(ctx, 'bag', { items: 3 })
    const json = await configFile(
      'json.yml',
      'store:\n  log:\n    level: DEBUG\n    format: json\n'
    )
    await emulator.admin.clearLedger()
    const d = await hubstore(repository, ['process-updates', '--config', json])
    expect(d.code).toBe(0)
    const ledger = await emulator.admin.ledger()
    const lines = d.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    for (const line of lines) expect(Object.keys(line)).toEqual(['time', 'level', 'message'])
    const requests = lines.filter((l) => l.level === 'DEBUG').map((l) => l.message)
    expect(requests).toEqual(ledger.map((e) => `request ${e.method} ${e.path} → ${e.status}`))
    expect(
      lines.filter((l) => l.level === 'INFO').map((l) => l.message.replace(/ \(so far.*$/, ''))
    ).toEqual([
      'Sweeping 1 open object(s).',
      expect.stringMatching(/^\[1\/1\] #\d+ bag: 1 applied, 0 rejected$/)
    ])
    expect(d.stderr).not.toContain('app-owner')
  })
})
