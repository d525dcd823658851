/**
 * gh-store's canonicalize tools on the CLI (`objects alias|aliases|find-duplicates|dedupe|
 * deprecate`, `objects get --canonical`), against the emulator over real HTTP. The expected labels
 * are gh-store's (docs/gh-store-format.md §1.6): an alias keeps `stored-object` and gains
 * `ALIAS-TO:<canonical-id>` (colour `fbca04`); a deprecated issue loses `stored-object` and
 * carries `gh-store`, `deprecated-object` (`999999`), `MERGED-INTO:<target-id>` and
 * `DEPRECATED-BY:<target-issue>` (`d73a49`). A dry run is checked on the request ledger: no
 * request but GETs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { readWorkflow } from '../../../test-support/action-metadata.js'
import { buildProgram, everyCommand, run } from '../src/main.js'

const REPO = 'octocat/canon-cli'
const [OWNER, NAME] = REPO.split('/') as [string, string]
const TOKENS = { octocat: 'canon-owner', wendy: 'canon-writer', mallory: 'canon-outsider' }
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: TOKENS.octocat, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: TOKENS.wendy, login: 'wendy', permission: 'write' })
  await emulator.admin.createToken({ token: TOKENS.mallory, login: 'mallory', permission: 'read' })
})
afterAll(async () => emulator.close())

/** Runs the CLI in-process as `user`; collects what it prints. */
async function cli(
  args: string[],
  user: keyof typeof TOKENS = 'octocat'
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const saved = { ...process.env }
  const write = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  Object.assign(process.env, {
    GITHUB_API_URL: emulator.url,
    GITHUB_REPOSITORY: REPO,
    GITHUB_TOKEN: TOKENS[user]
  })
  delete process.env.GH_TOKEN
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write
  try {
    const code = await run(['node', 'hubstore', ...args], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s)
    })
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = write
    process.stderr.write = writeErr
    process.env = saved
    process.exitCode = undefined
  }
}

/** `--json`, exit 0, nothing on stderr. */
async function json(args: string[], user: keyof typeof TOKENS = 'octocat') {
  const r = await cli([...args, '--json'], user)
  expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' })
  return JSON.parse(r.stdout)
}

/** Runs `args` and answers the non-GET requests it sent (method and route). */
async function writesOf(args: string[]): Promise<{ out: unknown; writes: string[] }> {
  await emulator.admin.clearLedger()
  const out = await json(args)
  const writes = (await emulator.admin.ledger())
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.route}`)
  return { out, writes }
}

const octokit = () => createGitHubClient({ token: TOKENS.octocat, baseUrl: emulator.url })

/** The labels of an issue, read back, sorted. */
async function labelsOf(issueNumber: number): Promise<string[]> {
  const { data } = await octokit().rest.issues.get({
    owner: OWNER,
    repo: NAME,
    issue_number: issueNumber
  })
  return data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).sort()
}

async function colourOf(label: string): Promise<string> {
  const { data } = await octokit().rest.issues.getLabel({ owner: OWNER, repo: NAME, name: label })
  return data.color
}

async function create(id: string, data: string): Promise<number> {
  return (await json(['objects', 'create', id, data])).issueNumber as number
}

describe('hubstore objects: the canonicalize tools', () => {
  it('objects alias: --dry-run writes nothing; for real the alias keeps stored-object and gains ALIAS-TO:<canonical> (fbca04); objects aliases lists it, per target too', async () => {
    const alias = await create('old-name', '{"legacy": true}')
    const canonical = await create('new-name', '{"fresh": true}')
    const before = await labelsOf(alias)

    const dry = await writesOf(['objects', 'alias', 'old-name', 'new-name', '--dry-run'])
    expect(dry.writes).toEqual([])
    expect(dry.out).toMatchObject({
      dryRun: true,
      label: 'ALIAS-TO:new-name',
      sourceIssue: alias,
      targetIssue: canonical
    })
    expect(await labelsOf(alias)).toEqual(before)

    const real = await writesOf(['objects', 'alias', 'old-name', 'new-name'])
    expect(real.out).toMatchObject({ dryRun: false, sourceId: 'old-name', targetId: 'new-name' })
    expect(real.writes.length).toBeGreaterThan(0)
    expect(await labelsOf(alias)).toEqual(
      ['ALIAS-TO:new-name', 'UID:old-name', 'gh-store', 'stored-object'].sort()
    )
    expect(await colourOf('ALIAS-TO:new-name')).toBe('fbca04')

    const listed = await writesOf(['objects', 'aliases'])
    expect(listed).toEqual({
      out: { aliases: [{ objectId: 'old-name', targetId: 'new-name' }] },
      writes: []
    })
    expect(await json(['objects', 'aliases', 'new-name'])).toEqual({
      aliases: [{ objectId: 'old-name', targetId: 'new-name' }]
    })
    expect(await json(['objects', 'aliases', 'old-name'])).toEqual({ aliases: [] })
    const again = await cli(['objects', 'alias', 'old-name', 'new-name'])
    expect(again.code).toBe(2) // InvalidAliasError: a user error
    expect(again.stderr).toContain('already an alias of "new-name"')
  })

  it('objects find-duplicates / dedupe: --dry-run writes nothing; for real the newer issue loses stored-object and gains deprecated-object, MERGED-INTO:, DEPRECATED-BY:', async () => {
    const first = await create('dup', '{"n": 1}')
    // gh-store's create has no uniqueness check (§1.2): a second issue with the same UID: label
    const { data: second } = await octokit().rest.issues.create({
      owner: OWNER,
      repo: NAME,
      title: 'Stored Object: dup',
      body: '{\n  "n": 2\n}',
      labels: ['gh-store', 'stored-object', 'UID:dup']
    })
    const found = await writesOf(['objects', 'find-duplicates'])
    expect(found).toEqual({
      out: { duplicates: [{ objectId: 'dup', issueNumbers: [first, second.number] }] },
      writes: []
    })

    const dry = await writesOf(['objects', 'dedupe', '--dry-run'])
    expect(dry.writes).toEqual([])
    const expected = [
      'DEPRECATED-BY:' + first,
      'MERGED-INTO:dup',
      'UID:dup',
      'deprecated-object',
      'gh-store'
    ].sort()
    expect(dry.out).toMatchObject({
      dryRun: true,
      results: [{ objectId: 'dup', canonicalIssue: first, duplicatesProcessed: 1 }]
    })
    const planned = dry.out as { results: Array<{ results: Array<{ labels: string[] }> }> }
    expect([...planned.results[0].results[0].labels].sort()).toEqual(expected)
    expect(await labelsOf(second.number)).toEqual(['UID:dup', 'gh-store', 'stored-object'])

    const real = await writesOf(['objects', 'dedupe', 'dup'])
    expect(real.out).toMatchObject({
      dryRun: false,
      results: [{ objectId: 'dup', canonicalIssue: first, duplicatesProcessed: 1 }]
    })
    expect(await labelsOf(second.number)).toEqual(expected)
    expect(await labelsOf(first)).toEqual(['UID:dup', 'gh-store', 'stored-object'])
    expect(await colourOf('deprecated-object')).toBe('999999')
    expect(await colourOf('MERGED-INTO:dup')).toBe('d73a49')
    expect(await colourOf('DEPRECATED-BY:' + first)).toBe('d73a49')
    expect(await json(['objects', 'find-duplicates'])).toEqual({ duplicates: [] })
    expect(await json(['objects', 'dedupe'])).toEqual({ dryRun: false, results: [] })
  })

  it('objects deprecate --into --reason: --dry-run writes nothing; for real gh-store’s deprecation labels; self-deprecation is refused', async () => {
    const old = await create('v1', '{"v": 1}')
    const target = await create('v2', '{"v": 2}')
    const before = await labelsOf(old)
    const args = ['objects', 'deprecate', 'v1', '--into', 'v2', '--reason', 'replaced']
    const dry = await writesOf([...args, '--dry-run'])
    expect(dry.writes).toEqual([])
    expect(dry.out).toMatchObject({ dryRun: true, sourceIssue: old, targetIssue: target })
    expect(await labelsOf(old)).toEqual(before)

    const real = await writesOf(args)
    expect(real.out).toMatchObject({
      dryRun: false,
      sourceObjectId: 'v1',
      targetObjectId: 'v2',
      reason: 'replaced'
    })
    expect(await labelsOf(old)).toEqual(
      [
        'DEPRECATED-BY:' + target,
        'MERGED-INTO:v2',
        'UID:v1',
        'deprecated-object',
        'gh-store'
      ].sort()
    )
    expect(await labelsOf(target)).toEqual(['UID:v2', 'gh-store', 'stored-object'])
    const self = await cli(['objects', 'deprecate', 'v2', '--into', 'v2'])
    expect(self.code).toBe(2)
    expect(self.stderr).toContain('cannot deprecate an object as itself')
    const badReason = await cli(['objects', 'deprecate', 'v2', '--into', 'v1', '--reason', 'x'])
    expect(badReason.code).toBe(2)
  })

  it('objects get --canonical: resolves the alias and folds the authorised updates queued on the alias and the canonical object, never an outsider’s; writes nothing', async () => {
    const canonical = await create('profile', '{"name": "x"}')
    const alias = await create('profile-2024', '{"legacy": true}')
    await json(['objects', 'alias', 'profile-2024', 'profile'])
    const byWriter = await json(['objects', 'update', 'profile-2024', '{"writer": true}'], 'wendy')
    const byOutsider = await json(
      ['objects', 'update', 'profile-2024', '{"name": "pwned"}'],
      'mallory'
    )
    const byOwner = await json(['objects', 'update', 'profile', '{"owner": true}'])

    const got = await writesOf(['objects', 'get', 'profile-2024', '--canonical'])
    expect(got.writes).toEqual([])
    expect(got.out).toMatchObject({
      objectId: 'profile',
      issueNumber: canonical,
      requestedId: 'profile-2024',
      canonicalId: 'profile',
      aliases: [{ objectId: 'profile-2024', issueNumber: alias }],
      data: { name: 'x', writer: true, owner: true },
      folded: [
        { issueNumber: alias, commentId: byWriter.commentId, author: 'wendy' },
        { issueNumber: canonical, commentId: byOwner.commentId, author: 'octocat' }
      ],
      ignored: [
        {
          issueNumber: alias,
          commentId: byOutsider.commentId,
          author: 'mallory',
          code: 'UNAUTHORIZED'
        }
      ]
    })
    // The plain view of the canonical object is its body: nothing was applied to it.
    const plain = await cli(['objects', 'get', 'profile'])
    expect(JSON.parse(plain.stdout)).toEqual({ name: 'x' })
    const human = await cli(['objects', 'get', 'profile', '--canonical'])
    expect(JSON.parse(human.stdout)).toEqual({ name: 'x', writer: true, owner: true })
    const both = await cli(['objects', 'get', 'profile', '--canonical', '--version', '1'])
    expect(both.code).toBe(2)
  })
  it('objects get --canonical: follows an alias of an alias; an update already processed on an alias (in its own body) is not folded again, the one still queued is', async () => {
    await create('p', '{"n": 0}')
    await create('p-mid', '{}')
    const old = await create('p-old', '{}')
    await json(['objects', 'alias', 'p-mid', 'p'])
    await json(['objects', 'alias', 'p-old', 'p-mid'])
    await json(['objects', 'update', 'p-old', '{"first": 1}'])
    await json(['process-updates', '--issue', String(old)])
    const queued = await json(['objects', 'update', 'p-old', '{"second": 2}'])
    const got = await json(['objects', 'get', 'p-old', '--canonical'])
    expect(got).toMatchObject({
      canonicalId: 'p',
      data: { n: 0, second: 2 },
      folded: [{ issueNumber: old, commentId: queued.commentId }],
      ignored: []
    })
    expect(got.data).not.toHaveProperty('first')
    expect(got.aliases.map((a: { objectId: string }) => a.objectId)).toEqual(['p-mid', 'p-old'])
  })
})

describe('.github/workflows: dedupe.yml and merge-objects.yml (gh-store’s deduplicate.yml and merge-objects.yml)', () => {
  const commands = new Set(
    everyCommand(buildProgram()).map((c) => {
      const path: string[] = []
      for (let x: typeof c | null = c; x?.parent; x = x.parent) path.unshift(x.name())
      return path.join(' ')
    })
  )
  it.each(['dedupe.yml', 'merge-objects.yml'])(
    '%s: reusable and manual, issues: write only, every hubstore command it runs exists and honours dry-run',
    (file) => {
      const workflow = readWorkflow(file)
      expect(Object.keys(workflow.on).sort()).toEqual(['workflow_call', 'workflow_dispatch'])
      // a manual run is a dry run unless unticked
      const dispatch = workflow.on.workflow_dispatch as { inputs: Record<string, unknown> }
      expect(dispatch.inputs['dry-run']).toMatchObject({ type: 'boolean', default: true })
      expect(workflow.permissions).toEqual({ issues: 'write' })
      const runs = Object.values(workflow.jobs)
        .flatMap((j) => j.steps as Array<{ run?: string }>)
        .map((s) => s.run ?? '')
        .join('\n')
      const invoked = [...runs.matchAll(/hubstore (objects [a-z-]+)/g)].map((m) => m[1])
      expect(invoked.length).toBeGreaterThan(0)
      for (const command of invoked)
        expect({ command, exists: commands.has(command) }).toEqual({
          command,
          exists: true
        })
      expect(runs).toContain('--dry-run')
      // user input never interpolated into a script (workflow injection)
      expect(runs).not.toMatch(/\$\{\{\s*inputs\./)
      const inputs = (workflow.on.workflow_call as { inputs: Record<string, unknown> }).inputs
      expect(Object.keys(inputs)).toContain('dry-run')
    }
  )
})
