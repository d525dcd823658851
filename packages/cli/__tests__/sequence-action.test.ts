import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, listSequences } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { runAction } from '../src/run-action/run-action.js'

describe('run-action: the committed increment-sequence bundle, run as the runner runs it', () => {
  let emulator: Emulator
  let n = 0
  const repoFor = async () => {
    const repository = `octocat/numbers-${++n}`
    await emulator.admin.createRepo({ full_name: repository, default_branch: 'main' })
    return repository
  }
  const step = (
    repository: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {}
  ) =>
    runAction({
      name: 'increment-sequence',
      eventName: 'workflow_dispatch',
      inputs,
      repository,
      token: 'bot',
      apiUrl: emulator.url,
      env: { GITHUB_RUN_ID: '5550001', ...env }
    })

  beforeAll(async () => {
    emulator = await startEmulator()
    await emulator.admin.createToken({
      token: 'bot',
      login: 'github-actions[bot]',
      type: 'Bot',
      permission: 'write'
    })
    await emulator.admin.createToken({ token: 'reader', login: 'mallory', permission: 'read' })
  })
  afterAll(async () => emulator.close())

  it('outputs: the first number of a new sequence is initial-value + 1, in one commit, with a job summary', async () => {
    const repository = await repoFor()
    const run = await step(repository, { sequence: 'invoice', 'initial-value': '1000', count: '3' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      value: '1001',
      last: '1003',
      previous: '1000',
      formatted: '',
      attempts: '1',
      key: 'invoice',
      reused: 'false'
    })
    expect(run.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(run.summary).toContain('hubstore: increment-sequence')
    const [owner, repo] = repository.split('/') as [string, string]
    const octokit = createGitHubClient({ token: 'bot', baseUrl: emulator.url })
    expect((await listSequences({ octokit, owner, repo })).sequences).toEqual({ invoice: 1003 })
  })

  it('idempotency: the same run, attempt, job and step gets its number back; another run draws the next', async () => {
    const repository = await repoFor()
    const first = await step(repository, { sequence: 'dc' })
    const again = await step(repository, { sequence: 'dc' })
    const other = await step(repository, { sequence: 'dc' }, { GITHUB_RUN_ID: '5550002' })
    expect([first.outputs.value, again.outputs.value, other.outputs.value]).toEqual(['1', '1', '2'])
    expect(again.outputs.reused).toBe('true')
    expect(again.outputs['commit-sha']).toBe(first.outputs['commit-sha'])
    expect(again.annotations).toContainEqual({
      level: 'notice',
      message: expect.stringContaining('already received dc 1')
    })
    const none = await step(repository, { sequence: 'dc', 'idempotency-key': 'none' })
    expect(none.outputs.value).toBe('3')
  })

  it('format and series: a fiscal-year key and the formatted number', async () => {
    const repository = await repoFor()
    const run = await step(repository, {
      sequence: 'dc',
      series: 'fiscal-year',
      format: 'DC/{fy_short}/{value:05}',
      'time-zone': 'Asia/Kolkata'
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.key).toMatch(/^dc\/FY\d{4}-\d{2}$/)
    expect(run.outputs.formatted).toMatch(/^DC\/\d\d-\d\d\/00001$/)
  })

  it('max-length: a formatted number over 16 characters fails the step before committing', async () => {
    const repository = await repoFor()
    const run = await step(repository, { sequence: 'akdc', format: 'AKDC/{fy}/{value:06}' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations).toContainEqual({
      level: 'error',
      message: expect.stringMatching(
        /^SEQUENCE_FORMAT_TOO_LONG: "AKDC\/\d{4}-\d\d\/000001" .* at most 16/
      )
    })
    const [owner, repo] = repository.split('/') as [string, string]
    const octokit = createGitHubClient({ token: 'bot', baseUrl: emulator.url })
    expect((await listSequences({ octokit, owner, repo })).blobSha).toBeNull()
  })

  it('inputs: a bad count fails the step with a message naming the input', async () => {
    const repository = await repoFor()
    const run = await step(repository, { sequence: 'dc', count: 'many' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations).toContainEqual({
      level: 'error',
      message: expect.stringContaining('Input "count"')
    })
  })

  it('token: never printed, even when the write is refused (read-only token)', async () => {
    const repository = await repoFor()
    const run = await runAction({
      name: 'increment-sequence',
      eventName: 'workflow_dispatch',
      inputs: { sequence: 'dc', token: 'reader' },
      repository,
      apiUrl: emulator.url
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations[0]?.message).toMatch(/^GITHUB_REQUEST_FAILED: .*contents: write/)
    expect(run.log.replace('::add-mask::reader', '')).not.toMatch(/\breader\b/)
  })
})
