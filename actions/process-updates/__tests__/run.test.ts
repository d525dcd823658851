import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createActionTokens, driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

let emulator: Emulator
const REPO = 'octocat/process-action'
const client = (token: string) =>
  createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } })
beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createRepo({ full_name: REPO })
  await createActionTokens(emulator)
})
afterAll(async () => emulator.close())

/** One step of the action with its action.yml defaults (no event payload: a sweep). */
const step = (inputs: Record<string, string> = {}) =>
  driveAction(run, {
    action: 'process-updates',
    token: 'bot',
    repository: REPO,
    eventName: 'schedule',
    inputs,
    env: { GITHUB_API_URL: emulator.url }
  })

/** Runs `body`, collecting each line it writes to stdout with the time it was written (ms). */
async function timedLog<T>(
  body: () => Promise<T>
): Promise<{ result: T; lines: Array<{ text: string; at: number }>; startedAt: number }> {
  const write = process.stdout.write.bind(process.stdout)
  const lines: Array<{ text: string; at: number }> = []
  let partial = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    partial += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const text of parts) lines.push({ text, at: Date.now() })
    return true
  }) as typeof process.stdout.write
  const startedAt = Date.now()
  try {
    return { result: await body(), lines, startedAt }
  } finally {
    process.stdout.write = write
  }
}

describe('process-updates action', () => {
  it('run: issue-number applies the authorised update, rejects the outsider, escapes the summary', async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'process-action' }
    const n = (await createObject(ctx, 'cart', { items: 1 })).meta.issueNumber
    await updateObject(ctx, 'cart', { items: 2 })
    await updateObject({ ...ctx, octokit: client('outsider') }, 'cart', { items: 666 })

    const r = await step({ 'issue-number': String(n) })
    expect(r.failed).toBe(false)
    expect(r.outputs).toEqual({
      'processed-issues': `[${n}]`,
      applied: '1',
      rejected: '1',
      'object-ids': '["cart"]',
      failed: '0',
      'failed-issues': '[]'
    })
    expect(r.summary).toContain('1 object(s) processed: 1 update(s) applied, 1 rejected.')
    expect(r.summary).toContain(`<td>&#35;${n}</td><td>cart</td>`)
    expect(r.summary).toContain('<td>mallory</td>')
  })

  it('run: an update older than an applied one is rejected OUT_OF_ORDER, in the outputs and the summary', async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'process-action' }
    const n = (await createObject(ctx, 'ledger', { n: 0 })).meta.issueNumber
    const older = await updateObject(ctx, 'ledger', { n: 1 })
    const newer = await updateObject(ctx, 'ledger', { n: 2 })
    // As a gh-store run that skipped the older comment would leave it: the newer one applied.
    await ctx.octokit.rest.reactions.createForIssueComment({
      owner: 'octocat',
      repo: 'process-action',
      comment_id: newer.commentId,
      content: '+1'
    })

    const r = await step({ 'issue-number': String(n) })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ applied: '0', rejected: '1' })
    expect(r.summary).toContain('0 update(s) applied, 1 rejected.')
    expect(r.summary).toContain(`OUT_OF_ORDER: comment ${newer.commentId} (created`)
    expect(r.summary).toContain(`<td>${older.commentId}</td>`)
  })

  it('run: no issue in the event sweeps the open stored objects', async () => {
    const r = await step()
    expect(r.failed).toBe(false)
    expect(JSON.parse(r.outputs['object-ids'] as string)).toEqual(expect.any(Array))
  })

  it('sweep: a progress line at once and one per object; a broken object fails the step, named in an annotation, the summary and the outputs', async () => {
    const repo = 'process-sweep'
    await emulator.admin.createRepo({ full_name: `octocat/${repo}` })
    const ctx = { octokit: client('owner'), owner: 'octocat', repo }
    const numbers: number[] = []
    for (const id of ['first', 'broken', 'last']) {
      numbers.push((await createObject(ctx, id, { n: 0 })).meta.issueNumber)
      await updateObject(ctx, id, { n: 1 })
    }
    const broken = numbers[1] as number
    await ctx.octokit.rest.issues.update({
      owner: 'octocat',
      repo,
      issue_number: broken,
      body: 'not json'
    })

    const sweep = (inputs: Record<string, string> = {}) =>
      timedLog(() =>
        driveAction(run, {
          action: 'process-updates',
          token: 'bot',
          repository: `octocat/${repo}`,
          eventName: 'schedule',
          inputs,
          env: { GITHUB_API_URL: emulator.url }
        })
      )
    const { result: r, lines, startedAt } = await sweep()
    expect(r.failed).toBe(true)
    expect(r.outputs).toMatchObject({
      applied: '2',
      rejected: '0',
      failed: '1',
      'failed-issues': `[${broken}]`,
      'processed-issues': JSON.stringify(numbers)
    })
    // Progress: the start line within 5 s, before any object is done; then one line per object, in order.
    const progress = lines.filter((l) => /^(Sweeping|\[\d+\/\d+\])/.test(l.text))
    expect(progress.map((l) => l.text.replace(/ \(so far.*$/, ''))).toEqual([
      'Sweeping 3 open object(s).',
      `[1/3] #${numbers[0]} first: 1 applied, 0 rejected`,
      expect.stringMatching(
        new RegExp(`^\\[2/3\\] #${broken} broken: failed: INVALID_OBJECT_BODY: `)
      ),
      `[3/3] #${numbers[2]} last: 1 applied, 0 rejected`
    ])
    expect(progress[0]!.at - startedAt).toBeLessThan(5000)
    expect(progress[1]!.text).toMatch(
      /\(so far 1 applied, 0 rejected, 0 failed, \d+ s; about \d+ s left\)$/
    )
    expect(progress[3]!.text).toMatch(/\(so far 2 applied, 0 rejected, 1 failed, \d+ s\)$/)
    // The failure: an error annotation naming it, the Failed table, and the step's failure message.
    const annotation = lines.find((l) => l.text.startsWith(`::error::#${broken} broken failed:`))
    expect(annotation?.text).toMatch(
      /INVALID_OBJECT_BODY: The body of issue #\d+ is not a stored object's state/
    )
    expect(r.summary).toContain(
      '3 object(s) processed: 2 update(s) applied, 0 rejected. 1 object(s) failed.'
    )
    expect(r.summary).toMatch(
      new RegExp(
        `<td>&#35;${broken}</td><td>broken</td><td>INVALID_OBJECT_BODY: The body of issue &#35;${broken}`
      )
    )
    expect(lines.at(-1)?.text).toMatch(
      new RegExp(`^::error::1 of 3 object\\(s\\) failed \\(issues #${broken}\\)`)
    )

    // fail-on-error: false lets the step pass; the failure is still reported.
    const lenient = await sweep({ 'fail-on-error': 'false' })
    expect(lenient.result.failed).toBe(false)
    expect(lenient.result.outputs).toMatchObject({ failed: '1', 'failed-issues': `[${broken}]` })
    expect(lenient.lines.some((l) => l.text.startsWith(`::error::#${broken} broken failed:`))).toBe(
      true
    )

    // One issue (an event run) reports its failure the same way.
    const one = await sweep({ 'issue-number': String(broken) })
    expect(one.result.failed).toBe(true)
    expect(one.result.outputs).toMatchObject({ failed: '1', 'failed-issues': `[${broken}]` })
    expect(one.result.summary).toContain(
      `<td>&#35;${broken}</td><td>—</td><td>INVALID_OBJECT_BODY: `
    )
    const oneLenient = await sweep({ 'issue-number': String(broken), 'fail-on-error': 'false' })
    expect([oneLenient.result.failed, oneLenient.result.outputs.failed]).toEqual([false, '1'])
  })

  it("summary: an outsider's HTML, link and heading in a comment appear escaped, in the summary and the annotation", async () => {
    const ctx = { octokit: client('owner'), owner: 'octocat', repo: 'process-action' }
    const n = (await createObject(ctx, 'guestbook', { n: 0 })).meta.issueNumber
    const hostile = '<img src=x> [click](https://evil.example) # Heading'
    await client('outsider').rest.issues.createComment({
      owner: 'octocat',
      repo: 'process-action',
      issue_number: n,
      body: `{${JSON.stringify(hostile)}: 1e400}`
    })
    await ctx.octokit.rest.issues.update({
      owner: 'octocat',
      repo: 'process-action',
      issue_number: n,
      state: 'open'
    })

    const { result: r, lines } = await timedLog(() => step({ 'issue-number': String(n) }))
    expect(r.outputs).toMatchObject({ applied: '0', rejected: '1' })
    expect(r.summary).toContain(
      '&lt;img src=x&gt; &#91;click&#93;(https://evil.example) &#35; Heading'
    )
    expect(r.summary).not.toContain('<img')
    expect(r.summary).not.toContain('](https://')
    expect(r.summary).not.toMatch(/^#/m)
    const warning = lines.find((l) => l.text.startsWith('::warning::'))
    expect(warning?.text).toContain(`NUMBER_OUT_OF_RANGE`)
    expect(lines.filter((l) => !l.text.startsWith('::') && l.text.includes('<img'))).toEqual([])
  })

  it('inputs: an issue number that is not a positive whole number fails the step', async () => {
    expect((await step({ 'issue-number': '0' })).failed).toBe(true)
  })
})
