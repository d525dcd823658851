/**
 * `hubstore process-updates` as a sweep: progress on stderr (a line once the open objects are
 * listed, then one per object, with counts and the time left) and a failed object named with
 * exit 1. The CLI runs in-process through `run(argv)`, so each line's arrival time is measured
 * from the start of the command; GitHub is the emulator over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { EXIT } from '../src/errors.js'
import { run } from '../src/main.js'

const REPO = 'octocat/cli-sweep'
const TOKEN = 'sweep-owner'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
})
afterAll(async () => emulator.close())

/** Runs the CLI in-process; each stdout/stderr line with the ms since the start. */
async function cli(args: string[]): Promise<{
  code: number
  stdout: string
  stderr: Array<{ text: string; afterMs: number }>
}> {
  let stdout = ''
  let partial = ''
  const stderr: Array<{ text: string; afterMs: number }> = []
  const saved = { ...process.env }
  const write = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  const startedAt = Date.now()
  const err = (s: string) => {
    const parts = (partial + s).split('\n')
    partial = parts.pop() ?? ''
    for (const text of parts) stderr.push({ text, afterMs: Date.now() - startedAt })
    return true
  }
  Object.assign(process.env, {
    GITHUB_API_URL: emulator.url,
    GITHUB_REPOSITORY: REPO,
    GITHUB_TOKEN: TOKEN
  })
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write
  process.stderr.write = err as typeof process.stderr.write
  try {
    const code = await run(['node', 'hubstore', ...args], {
      stdout: (s) => (stdout += s),
      stderr: err
    })
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = write
    process.stderr.write = writeErr
    process.env = saved
    process.exitCode = undefined
  }
}

describe('hubstore process-updates (sweep)', () => {
  it('prints a progress line within 5 s and one per object on stderr; a broken object is named and exits 1', async () => {
    const octokit = createGitHubClient({
      token: TOKEN,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    const ctx = { octokit, owner: 'octocat', repo: 'cli-sweep' }
    const numbers: number[] = []
    for (const id of ['alpha', 'bad', 'gamma', 'delta']) {
      numbers.push((await createObject(ctx, id, { n: 0 })).meta.issueNumber)
      await updateObject(ctx, id, { n: 1 })
    }
    const bad = numbers[1] as number
    await octokit.rest.issues.update({ ...ctx, issue_number: bad, body: '{"n": 1' })

    const r = await cli(['process-updates'])
    expect(r.code).toBe(EXIT.FAILED)
    const lines = r.stderr.map((l) => l.text)
    expect(lines[0]).toBe('Sweeping 4 open object(s).')
    expect(r.stderr[0]!.afterMs).toBeLessThan(5000)
    const perObject = lines.filter((l) => /^\[\d+\/4\]/.test(l))
    expect(perObject.map((l) => l.replace(/ \(so far.*$/, ''))).toEqual([
      `[1/4] #${numbers[0]} alpha: 1 applied, 0 rejected`,
      expect.stringMatching(new RegExp(`^\\[2/4\\] #${bad} bad: failed: INVALID_OBJECT_BODY: `)),
      `[3/4] #${numbers[2]} gamma: 1 applied, 0 rejected`,
      `[4/4] #${numbers[3]} delta: 1 applied, 0 rejected`
    ])
    expect(perObject[2]).toMatch(
      /\(so far 2 applied, 0 rejected, 1 failed, \d+ s; about \d+ s left\)$/
    )
    // Each object's line arrives as it finishes, not all at the end.
    const times = r.stderr.filter((l) => /^\[\d+\/4\]/.test(l.text)).map((l) => l.afterMs)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
    expect(r.stdout).toMatch(new RegExp(`#${bad} bad: .* — failed: INVALID_OBJECT_BODY`))

    // --json keeps stderr for a terminal: the document alone, the failure in it, still exit 1.
    const asJson = await cli(['process-updates', '--json'])
    expect(asJson.code).toBe(EXIT.FAILED)
    expect(asJson.stderr).toEqual([])
    const results = JSON.parse(asJson.stdout) as Array<{
      issueNumber: number
      error?: { code: string }
    }>
    expect(results.map((x) => [x.issueNumber, x.error?.code])).toEqual([
      [bad, 'INVALID_OBJECT_BODY']
    ])
  })
})
