import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { captureLog } from '../../../test-support/capture-log.js'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
const REPO = 'octocat/sequence-action'
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO, default_branch: 'main' })
  await createActionTokens(emulator)
})
afterAll(async () => emulator.close())

/** One step of the action with its action.yml defaults, as the runner would start it. */
const step = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  driveAction(run, {
    action: 'increment-sequence',
    token: 'bot',
    repository: REPO,
    inputs,
    env: {
      GITHUB_API_URL: emulator.url,
      GITHUB_RUN_ID: '4440001',
      GITHUB_JOB: 'number',
      ...env
    }
  })

describe('increment-sequence action', () => {
  it('run: reserves numbers, sets every output and an escaped job summary', async () => {
    const r = await step({ sequence: 'order<1>', count: '2', 'initial-value': '10' })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({
      value: '11',
      last: '12',
      previous: '10',
      formatted: '',
      attempts: '1',
      key: 'order<1>',
      reused: 'false'
    })
    expect(r.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(r.summary).toContain('<h2>hubstore: increment-sequence</h2>')
    expect(r.summary).toContain('Reserved 11–12 of `order<1>`')
    expect(r.summary).toContain('<td>order&lt;1&gt;</td>')
  })

  it('run: the same run, job and step gets its numbers back (the default idempotency key)', async () => {
    const first = await step({ sequence: 'invoice' }, { GITHUB_ACTION: 'again' })
    const again = await step({ sequence: 'invoice' }, { GITHUB_ACTION: 'again' })
    expect(again.outputs).toMatchObject({ value: first.outputs.value, reused: 'true' })
  })

  it('inputs: a count out of range fails the step naming the input', async () => {
    const r = await step({ sequence: 'invoice', count: '0' })
    expect(r.failed).toBe(true)
    expect(r.outputs).toEqual({})
  })

  it.each(['../../x.json', '.git/config', 'a/.git/x.json', 'a//b.json'])(
    'inputs: path %j is refused naming the input, and nothing is committed',
    async (path) => {
      const r = await captureLog(() => step({ sequence: 'invoice', path }))
      expect(r.result.failed).toBe(true)
      expect(r.log).toContain('Input "path": expected a relative file path')
      expect(r.result.outputs).toEqual({})
      const tree = await fetch(`${emulator.url}/repos/${REPO}/git/trees/main?recursive=1`, {
        headers: { authorization: 'token bot' }
      })
      const paths = tree.ok
        ? ((await tree.json()) as { tree: { path: string }[] }).tree.map((e) => e.path)
        : []
      expect(paths.some((p) => p.split('/').some((s) => ['', '.', '..', '.git'].includes(s)))).toBe(
        false
      )
    }
  )

  it('inputs: a time zone core refuses is reported as input "time-zone", its value echoed', async () => {
    const r = await captureLog(() => step({ sequence: 'invoice', 'time-zone': 'Mars/Olympus' }))
    expect(r.result.failed).toBe(true)
    expect(r.log).toContain(
      '::error::INVALID_OPTIONS: Input "time-zone" must be an IANA time zone such as Asia/Kolkata; got "Mars/Olympus".'
    )
    expect(r.log).not.toContain('Option timeZone')
    expect(r.result.outputs).toEqual({})
    const long = `Mars/${'x'.repeat(200)}\n`
    const cut = await captureLog(() => step({ sequence: 'invoice', 'time-zone': long }))
    expect(cut.log).toContain(`got "Mars/${'x'.repeat(75)}…".`)
  })

  it('request-timeout 200ms against a held answer: the step fails within the bound, one log line per retry', async () => {
    await emulator.admin.setLatency({ route: '*', ms: 10_000 })
    try {
      const started = Date.now()
      const r = await captureLog(() =>
        // retry waits of (n+1)² ms instead of seconds: time is a parameter
        step(
          { sequence: 'held', 'request-timeout': '200ms' },
          { HUBSTORE_RETRY_AFTER_BASE_MS: '1' }
        )
      )
      // 4 attempts of 200 ms, where one held answer alone takes 10 s
      expect(Date.now() - started).toBeLessThan(5000)
      expect(r.result.failed).toBe(true)
      expect(r.result.outputs).toEqual({})
      const request = `GET /repos/${REPO}/contents/sequence_data.json`
      const lines = r.log.split('\n')
      expect(lines.filter((l) => l.startsWith('hubstore: retrying'))).toEqual([
        `hubstore: retrying ${request} (attempt 2) after no answer within 200 ms`,
        `hubstore: retrying ${request} (attempt 3) after no answer within 200 ms`,
        `hubstore: retrying ${request} (attempt 4) after no answer within 200 ms`
      ])
      expect(lines.filter((l) => l.startsWith('::error::'))).toEqual([
        expect.stringMatching(
          /^::error::GITHUB_REQUEST_FAILED: GitHub did not answer GET \S+ within 200 ms while trying to .* \(4 attempts\)\. .*request-timeout input/
        )
      ])
    } finally {
      await emulator.admin.setLatency({ route: '*', ms: 0 })
    }
  })

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'inputs: %j as the sequence name and the idempotency key behaves like any other',
    async (name) => {
      const first = await step({ sequence: name, 'idempotency-key': name, count: '2' })
      expect(first.failed).toBe(false)
      expect(first.outputs).toMatchObject({ value: '1', last: '2' })
      const again = await step({ sequence: name, 'idempotency-key': name, count: '2' })
      expect(again.outputs).toMatchObject({ value: '1', last: '2' })
    }
  )
})
