/**
 * The CLI's conventions, over every command (README "Exit codes and JSON"): help text complete,
 * exit codes of usage errors, one JSON casing in every `--json` output, safe defaults. The CLI
 * runs in-process through `run(argv, streams)`; its results go to process.stdout, which the test
 * reads while a command runs. GitHub is the emulator over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { EXIT } from '../src/errors.js'
import { buildProgram, CLI_VERSION, everyCommand, run } from '../src/main.js'

const REPO = 'octocat/cli-conventions'
const TOKEN = 'conventions-secret-token'
let emulator: Emulator
let dir: string

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  dir = await mkdtemp(join(tmpdir(), 'hubstore-conventions-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})

/** Runs the CLI in-process; collects what it prints (commander's and the commands' output). */
async function cli(
  args: string[],
  env: Record<string, string | undefined> = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const saved = { ...process.env }
  const write = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  Object.assign(process.env, { GITHUB_API_URL: emulator.url, GITHUB_REPOSITORY: REPO }, env)
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]
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

/** `--json` with the token from the environment. */
async function json(args: string[]): Promise<unknown> {
  const r = await cli([...args, '--json'], { GITHUB_TOKEN: TOKEN })
  expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' })
  return JSON.parse(r.stdout) as unknown
}

/** Every key of a `--json` output outside user data (`data`, `value`, `outputs`). */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into)
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.push(k)
      if (!['data', 'value', 'outputs'].includes(k)) keysOf(v, into)
    }
  return into
}

/** Two variables of the default layout (`<ACCOUNT>_ALBUM_<ID>_POSTS` / `_FAILED`). */
const VARIABLES = {
  PRIMARY_ALBUM_5_POSTS: '[{"position":1,"photo_id":"p","instagram_post_id":"i","posted_at":null}]',
  PRIMARY_ALBUM_5_FAILED: '[3]'
}

/** Creates repository variables through the REST API (the admin token). */
async function addVariables(repository: string, vars: Record<string, string>): Promise<void> {
  const [owner, repo] = repository.split('/') as [string, string]
  const octokit = createGitHubClient({ token: TOKEN, baseUrl: emulator.url })
  for (const [name, value] of Object.entries(vars))
    await octokit.rest.actions.createRepoVariable({ owner, repo, name, value })
}

/** The variables of `repository`, by name. */
async function variablesOf(repository: string): Promise<string[]> {
  const [owner, repo] = repository.split('/') as [string, string]
  const octokit = createGitHubClient({ token: TOKEN, baseUrl: emulator.url })
  const { data } = await octokit.rest.actions.listRepoVariables({ owner, repo })
  return data.variables.map((v) => v.name).sort()
}

const pathOf = (c: Command): string[] => (c.parent ? [...pathOf(c.parent), c.name()] : [])
const leaves = () => everyCommand(buildProgram()).filter((c) => c.commands.length === 0)

describe('hubstore conventions, over every command', () => {
  it('help: every command and argument is described, commands as sentences, options in lower case', () => {
    const problems: string[] = []
    for (const command of everyCommand(buildProgram())) {
      const where = pathOf(command).join(' ') || 'hubstore'
      if (!/^[A-Z].*\.$/.test(command.description()))
        problems.push(`${where}: "${command.description()}" is not a sentence`)
      for (const a of command.registeredArguments)
        if (!a.description) problems.push(`${where}: argument <${a.name()}> has no description`)
      // lower case, unless it starts with a name (GitHub, GITHUB_REPOSITORY, JSON)
      for (const o of command.options)
        if (!/^([a-z$`(<'"-]|GitHub\b|[A-Z_]{2,}\b)/.test(o.description))
          problems.push(`${where}: option ${o.flags}: "${o.description}" is capitalised`)
    }
    expect(problems).toEqual([])
  })

  it('help: store commands are listed before the tooling; --dry-run only where a command writes', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual([
      'objects',
      'process-updates',
      'snapshot',
      'update-snapshot',
      'sequence',
      'state',
      'migrate',
      'data',
      'activity',
      'init',
      'emulator',
      'run-action',
      'demo'
    ])
    const withDryRun = leaves()
      .filter((c) => c.options.some((o) => o.long === '--dry-run'))
      .map((c) => pathOf(c).join(' '))
    expect(withDryRun).toEqual([
      'objects alias',
      'objects dedupe',
      'objects deprecate',
      'migrate migrate',
      'migrate cleanup',
      'migrate rollback',
      'init'
    ])
  })

  it('exit codes: --help and --version 0; an unknown option, command or no command 2 (commander errors too)', async () => {
    const version = await cli(['--version'])
    expect(version).toEqual({ code: 0, stdout: `${CLI_VERSION}\n`, stderr: '' })
    expect((await cli([])).code).toBe(EXIT.USAGE)
    const unknown = await cli(['nosuch'])
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown command/)])
    for (const command of leaves()) {
      const path = pathOf(command)
      const help = await cli([...path, '--help'])
      expect({ path, code: help.code, usage: help.stdout.startsWith('Usage: hubstore') }).toEqual({
        path,
        code: 0,
        usage: true
      })
      const bad = await cli([...path, '--no-such-flag'])
      expect({ path, code: bad.code }).toEqual({ path, code: EXIT.USAGE })
      expect(bad.stderr).toMatch(/^error: /)
      if (command.registeredArguments.some((a) => a.required)) {
        const missing = await cli(path, { GITHUB_TOKEN: TOKEN })
        expect({ path, code: missing.code, stderr: missing.stderr }).toEqual({
          path,
          code: EXIT.USAGE,
          // commander checks required options (run-action's --event) before arguments
          stderr: expect.stringMatching(/^error: (missing required argument|required option) '/)
        })
      }
    }
  })

  it('exit codes and JSON casing are documented in the README', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Exit codes and JSON'))
    expect(section.length).toBeLessThan(readme.length)
    for (const code of Object.values(EXIT))
      expect(section).toMatch(new RegExp(`\\| \`${code}\` \\|`))
    expect(section).toMatch(/camelCase/)
  })

  it('--json: camelCase keys in every output, no internal fields; GH_TOKEN works like GITHUB_TOKEN', async () => {
    const outputs: Record<string, unknown> = {}
    const take = async (args: string[]) => (outputs[args.join(' ')] = await json(args))
    await take(['objects', 'create', 'metrics', '{"visits": 1, "snake_key": 1}'])
    await take(['objects', 'update', 'metrics', '{"visits": 2}'])
    await take(['process-updates'])
    await take(['objects', 'get', 'metrics'])
    await take(['objects', 'get', 'metrics', '--version', '1'])
    await take(['objects', 'history', 'metrics'])
    await take(['objects', 'list'])
    await take(['snapshot', '--output', join(dir, 'snapshot.json')])
    await take(['update-snapshot', '--snapshot-path', join(dir, 'snapshot.json')])
    await take(['objects', 'create', 'alias_one', '{}'])
    await take(['objects', 'alias', 'alias_one', 'metrics'])
    await take(['objects', 'aliases'])
    await take(['objects', 'find-duplicates'])
    await take(['objects', 'dedupe', '--dry-run'])
    await take(['objects', 'get', 'alias_one', '--canonical'])
    await take(['objects', 'deprecate', 'alias_one', '--into', 'metrics', '--dry-run'])
    await take(['objects', 'delete', 'metrics'])
    await take(['sequence', 'increment', 'invoice'])
    await take(['sequence', 'peek', 'invoice'])
    await take(['sequence', 'set', 'invoice', '5'])
    await take(['sequence', 'list'])
    await take(['state', 'set', 'a.json', '{"n": 1}'])
    await take(['state', 'merge', 'a.json', '{"m": 2}'])
    await take(['state', 'get', 'a.json'])
    await take(['state', 'delete', 'a.json'])
    await addVariables(REPO, VARIABLES)
    await take(['migrate', 'analyze'])
    await take(['migrate', 'migrate', '--no-dry-run'])
    await take(['migrate', 'validate'])
    await take(['migrate', 'cleanup', '--no-dry-run'])
    await take(['migrate', 'rollback'])
    const data = join(dir, 'data')
    await mkdir(data)
    await writeFile(join(data, 'notes.csv'), 'a,b\n1,2\n')
    const lfs = ['--server-url', emulator.url]
    await take(['data', 'backup', data, ...lfs])
    await take(['data', 'status', data, ...lfs])
    await take(['data', 'history', ...lfs])
    await take([
      'data',
      'restore',
      join(dir, 'restored'),
      '--cache-dir',
      join(dir, 'packs'),
      ...lfs
    ])
    const activityDb = ['--database', `sqlite:${join(dir, 'activity.db')}`]
    await take(['activity', 'import', '--repo', REPO, ...activityDb])
    await take(['activity', 'sync', '--repo', REPO, ...activityDb])
    await take(['activity', 'jobs', ...activityDb])
    await take(['activity', 'health', ...activityDb])
    await take(['init', join(dir, 'init-repo')])
    const everyJsonCommand = leaves()
      .filter((c) => c.options.some((o) => o.long === '--json'))
      .map((c) => pathOf(c).join(' '))
      .filter((p) => p !== 'run-action') // its --json is checked in the run-action test below
      .filter((p) => p !== 'data watch') // runs until a signal: its --json is in data-cli.test.ts
    for (const p of everyJsonCommand)
      expect({ p, covered: Object.keys(outputs).some((k) => k.startsWith(p)) }).toEqual({
        p,
        covered: true
      })
    for (const [args, out] of Object.entries(outputs))
      for (const key of keysOf(out))
        expect({ args, key, camelCase: /^[a-z][A-Za-z0-9]*$/.test(key) }).toEqual({
          args,
          key,
          camelCase: true
        })
    expect(outputs['sequence increment invoice']).not.toHaveProperty('nonce')
    expect(outputs['objects get metrics']).toMatchObject({
      objectId: 'metrics',
      issueNumber: expect.any(Number),
      data: { visits: 2, snake_key: 1 }
    })

    const gh = await cli(['sequence', 'peek', 'invoice'], {
      GH_TOKEN: TOKEN,
      GITHUB_TOKEN: undefined
    })
    expect([gh.code, gh.stdout]).toEqual([0, 'invoice = 5; next 6\n'])
  })

  it('migrate: rollback is a dry run unless --no-dry-run; cleanup of 0 variables writes nothing; analyze never says migrated; a reason once', async () => {
    const repository = 'octocat/cli-migrate-defaults'
    await emulator.admin.createRepo({ full_name: repository })
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: repository }
    const empty = await cli(['migrate', 'cleanup', '--no-dry-run', '--json'], env)
    expect(empty.code).toBe(0)
    expect(JSON.parse(empty.stdout)).toMatchObject({ commitSha: null, backupPath: null })
    const branch = await fetch(`${emulator.url}/repos/${repository}/branches/automation-state`, {
      headers: { authorization: `token ${TOKEN}` }
    })
    expect(branch.status).toBe(404) // no backup commit, not even the branch

    await addVariables(repository, { ...VARIABLES, PRIMARY_ALBUM_6_POSTS: '{not json' })
    const analyze = await cli(['migrate', 'analyze'], env)
    expect(analyze.stdout).not.toMatch(/migrated/)
    expect(analyze.stdout).toMatch(/3 variable\(s\).*3 mapped, 1 invalid, 0 unmapped; \d+ request/)
    await cli(['migrate', 'migrate', '--no-dry-run'], env)
    const cleanup = await cli(['migrate', 'cleanup', '--no-dry-run'], env)
    expect(cleanup.code).toBe(0)
    const invalidLine = cleanup.stdout.split('\n').find((l) => l.includes('PRIMARY_ALBUM_6_POSTS'))
    const reason = /\((.*)\)$/.exec(invalidLine ?? '')?.[1] ?? ''
    expect(reason.length).toBeGreaterThan(0)
    expect(reason.split('; ')).toEqual([...new Set(reason.split('; '))])
    expect(await variablesOf(repository)).toEqual(['PRIMARY_ALBUM_6_POSTS'])

    const dry = await cli(['migrate', 'rollback'], env)
    expect(dry.stdout).toMatch(/^rollback \(dry run\)/)
    expect(await variablesOf(repository)).toEqual(['PRIMARY_ALBUM_6_POSTS'])
    await cli(['migrate', 'rollback', '--no-dry-run'], env)
    expect(await variablesOf(repository)).toEqual([
      'PRIMARY_ALBUM_5_FAILED',
      'PRIMARY_ALBUM_5_POSTS',
      'PRIMARY_ALBUM_6_POSTS'
    ])
  })

  it('objects: get prints the data, --json the record; update says queued. state get of a missing document: stderr, exit 3', async () => {
    const env = { GITHUB_TOKEN: TOKEN }
    await cli(['objects', 'create', 'plain', '{"b": 1, "a": 2}'], env)
    const got = await cli(['objects', 'get', 'plain'], env)
    expect(JSON.parse(got.stdout)).toEqual({ b: 1, a: 2 })
    const queued = await cli(['objects', 'update', 'plain', '{"a": 3}'], env)
    expect(queued.stdout).toMatch(/^Queued an update of object plain: comment \d+ on issue #\d+/)
    // The queued update is a comment, but not a version until it is applied.
    const listed = await cli(['objects', 'list'], env)
    expect(listed.stdout.split('\n').find((l) => l.startsWith('plain '))).toMatch(
      /^plain +#\d+ v1 open$/
    )
    const record = await cli(['objects', 'get', 'plain', '--json'], env)
    expect(JSON.parse(record.stdout)).toMatchObject({ state: 'open', version: 1 })

    const missing = await cli(['state', 'get', 'absent.json'], env)
    expect(missing).toEqual({
      code: EXIT.NOT_FOUND,
      stdout: '',
      stderr: `hubstore: absent.json does not exist on ${REPO}@automation-state\n`
    })
    const withDefault = await cli(['state', 'get', 'absent.json', '--default', '{"n": 0}'], env)
    expect([withDefault.code, JSON.parse(withDefault.stdout)]).toEqual([0, { n: 0 }])
    await cli(['state', 'set', 'null.json', 'null'], env)
    const stored = await cli(['state', 'get', 'null.json'], env)
    expect([stored.code, stored.stdout]).toEqual([0, 'null\n'])
  })

  it('exit codes: GitHub refusing (a remote error) is one line, exit 1; a bad argument exit 2', async () => {
    const refused = await cli(['sequence', 'peek', 'invoice'], { GITHUB_TOKEN: 'not-a-token' })
    expect(refused.code).toBe(EXIT.FAILED)
    expect(refused.stderr).toMatch(/^hubstore: GITHUB_REQUEST_FAILED: .*401/)
    expect(refused.stderr.split('\n')).toHaveLength(2)
    const bad = await cli(['sequence', 'set', 'invoice', '-1'], { GITHUB_TOKEN: TOKEN })
    expect(bad.code).toBe(EXIT.USAGE)
  })

  it('user errors of the tooling are one line: an unknown action, a port in use, a --data path that is a file', async () => {
    const action = await cli(['run-action', 'nosuch', '--event', 'schedule', '--repo', REPO])
    expect(action.code).toBe(EXIT.USAGE)
    expect(action.stderr).toMatch(/^hubstore: No action "nosuch": .*does not exist\.\n$/)
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as { port: number }).port
    try {
      const inUse = await cli(['emulator', '--port', String(port)])
      expect(inUse).toEqual({
        code: EXIT.USAGE,
        stdout: '',
        stderr: `hubstore: --port ${port} is in use on 127.0.0.1: pick another port, or --port 0 for a free one.\n`
      })
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
    const notADir = join(dir, 'a-file')
    await writeFile(notADir, 'x')
    const data = await cli(['emulator', '--port', '0', '--data', notADir])
    expect([data.code, data.stdout]).toEqual([EXIT.USAGE, ''])
    expect(data.stderr).toMatch(
      new RegExp(
        `^hubstore: --data ${notADir}: cannot keep the emulator's state there \\(EEXIST on .*\\): .*\\.\\n$`
      )
    )
  })

  it('run-action: the output never contains the token, not even the ::add-mask:: line; --json neither', async () => {
    const args = ['run-action', 'process-updates', '--event', 'workflow_dispatch', '--repo', REPO]
    const env = { GITHUB_TOKEN: TOKEN }
    const failing = await cli([...args, '--input', 'issue-number=9999'], env)
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('| ::add-mask::***')
    const sweep = await cli(args, { GH_TOKEN: TOKEN, GITHUB_TOKEN: undefined })
    expect(sweep.code).toBe(0)
    const asJson = await cli([...args, '--json'], env)
    expect(Object.keys(JSON.parse(asJson.stdout) as object)).toEqual(['exitCode', 'outputs'])
    for (const r of [failing, sweep, asJson]) expect(r.stdout + r.stderr).not.toContain(TOKEN)
  })
})
