import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureLog } from '../../../test-support/capture-log.js'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
let dir: string
const REPO = 'octocat/process-event'
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await createActionTokens(emulator)
  dir = mkdtempSync(join(tmpdir(), 'hubstore-event-'))
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await emulator.close()
})

/** One `issues` step whose event payload file holds `text` (written as is, not as JSON). */
async function stepWithEventFile(text: string) {
  const file = join(dir, `event-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, text)
  const r = await captureLog(() =>
    driveAction(run, {
      action: 'process-updates',
      token: 'bot',
      repository: REPO,
      eventName: 'issues',
      env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_PATH: file }
    })
  )
  return { ...r, file }
}

describe('process-updates: the event payload', () => {
  it('a payload file that is not JSON fails the step naming the file, no stack trace', async () => {
    const { result, log, file } = await stepWithEventFile('{"issue": {"number": 1,')
    expect(result.failed).toBe(true)
    expect(result.outputs).toEqual({})
    const error = log.split('\n').find((l) => l.startsWith('::error::'))
    expect(error).toMatch(
      new RegExp(
        `^::error::INVALID_EVENT_PAYLOAD: The event payload ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(GITHUB_EVENT_PATH\\) is not JSON \\(`
      )
    )
    expect(log).not.toMatch(/\n\s+at /)
  })

  it.each([
    [
      'labels that are strings',
      { issue: { number: 1, labels: ['stored-object'] } },
      'issue.labels[0]'
    ],
    [
      'labels that are not a list',
      { issue: { number: 1, labels: 'stored-object' } },
      'issue.labels'
    ],
    [
      'a label without a name',
      { issue: { number: 1, labels: [{ id: 3 }] } },
      'issue.labels[0].name'
    ],
    ['an issue number that is text', { issue: { number: '1', labels: [] } }, 'issue.number']
  ])('%s: the step fails naming the file and the field', async (_what, payload, field) => {
    const { result, log, file } = await stepWithEventFile(JSON.stringify(payload))
    expect(result.failed).toBe(true)
    expect(result.outputs).toEqual({})
    expect(log).toContain(
      `::error::INVALID_EVENT_PAYLOAD: The event payload ${file} (GITHUB_EVENT_PATH) field "${field}" is invalid: `
    )
  })

  it('a well-formed issues payload of a stored object processes that issue', async () => {
    const ctx = {
      octokit: createGitHubClient({
        token: 'owner',
        baseUrl: emulator.url,
        throttle: { writeSpacingMs: 0 }
      }),
      owner: 'octocat',
      repo: 'process-event'
    }
    const created = await createObject(ctx, 'evented', { n: 1 })
    const { result, log } = await stepWithEventFile(
      JSON.stringify({
        action: 'labeled',
        issue: {
          number: created.meta.issueNumber,
          labels: [{ name: 'gh-store' }, { name: 'stored-object' }]
        }
      })
    )
    expect(result.failed).toBe(false)
    expect(result.outputs['processed-issues']).toBe(`[${created.meta.issueNumber}]`)
    expect(log).toContain(`#${created.meta.issueNumber} evented: 0 applied, 0 rejected`)
  })
})
