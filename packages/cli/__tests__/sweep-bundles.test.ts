/**
 * Issue 11, acceptance lines "the sweep prints progress … and one line per object", "an outsider's
 * HTML appears escaped in the summary" and "a sweep with a broken object exits non-zero and names
 * it", through the committed process-updates bundle (`dist/process-updates/index.js`) run as the
 * runner runs it: `INPUT_*`, `GITHUB_*`, the event payload and the file commands
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`). Everything is read back from the emulator.
 * (actions/process-updates/__tests__/run.test.ts checks the same in-process.)
 * Also issue 11's bounded waits through the same bundle: max-rate-limit-wait against a 1-hour
 * rate-limit reset, and request-timeout against held answers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient, createObject, updateObject, type RepoContext } from '@hubstore/core'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { issuesEventPayload } from '../src/run-action/payloads.js'
import { runAction, type RunActionOptions } from '../src/run-action/run-action.js'

const TOKENS = { owner: 'tok-owner', mallory: 'tok-mallory', bot: 'tok-bot' }
const LIST_ROUTE = '/repos/{owner}/{repo}/issues'
const COMMENTS_ROUTE = '/repos/{owner}/{repo}/issues/{issue_number}/comments'
/** How long a held request waits for a line the step should already have printed (a bound, not a pace). */
const LINE_WAIT_MS = 15_000
let emulator: Emulator
let repoCount = 0

beforeAll(async () => {
  emulator = await startEmulator()
  await emulator.admin.createToken({ token: TOKENS.owner, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: TOKENS.mallory, login: 'mallory', permission: 'read' })
  await emulator.admin.createToken({
    token: TOKENS.bot,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
})
afterAll(async () => emulator.close())

async function freshRepo(): Promise<{ repository: string; as: (t: string) => RepoContext }> {
  const repository = `octocat/sweep-${++repoCount}`
  await emulator.admin.createRepo({ full_name: repository })
  const [owner, repo] = repository.split('/') as [string, string]
  const as = (token: string): RepoContext => ({
    octokit: createGitHubClient({ token, baseUrl: emulator.url, throttle: { writeSpacingMs: 0 } }),
    owner,
    repo
  })
  return { repository, as }
}

/** Objects `ids`, each with one queued update by the owner; their issue numbers. */
async function objectsWithUpdates(ctx: RepoContext, ids: string[]): Promise<number[]> {
  const numbers: number[] = []
  for (const id of ids) {
    numbers.push((await createObject(ctx, id, { n: 0 })).meta.issueNumber)
    await updateObject(ctx, id, { n: 1 })
  }
  return numbers
}

/** The committed bundle as GITHUB_TOKEN; `lines` are the lines the runner would show, in order. */
async function bundle(
  repository: string,
  options: Partial<RunActionOptions> & Pick<RunActionOptions, 'eventName'>
) {
  const lines: string[] = []
  const run = await runAction({
    name: 'process-updates',
    repository,
    token: TOKENS.bot,
    apiUrl: emulator.url,
    env: { HUBSTORE_WRITE_SPACING_MS: '0' },
    timeoutMs: 60_000,
    ...options,
    onLine: (line) => {
      lines.push(line)
      options.onLine?.(line)
    }
  })
  return { run, lines }
}

/** Resolves `true` once `seen()` holds, re-checked on each line; `false` after `LINE_WAIT_MS`. */
function lineWaiter() {
  const waiting: Array<() => void> = []
  return {
    /** Call on each line the step prints. */
    onLine: () => waiting.splice(0).forEach((wake) => wake()),
    until: (seen: () => boolean): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(seen()), LINE_WAIT_MS)
        const check = (): void => {
          if (seen()) {
            clearTimeout(timer)
            resolve(true)
          } else waiting.push(check)
        }
        check()
      })
  }
}

/** The runner shows every line but the workflow commands it consumes (`::add-mask::`). */
const shown = (lines: string[]) => lines.filter((l) => !l.startsWith('::add-mask::'))

describe('process-updates sweep through the committed bundle', () => {
  it('dist/process-updates: a sweep prints its start line before listing the objects, a count before processing any, then exactly one line per object', async () => {
    const { repository, as } = await freshRepo()
    const numbers = await objectsWithUpdates(as(TOKENS.owner), ['alpha', 'beta', 'gamma'])
    const lines: string[] = []
    const waiter = lineWaiter()
    // The listing request and the first object's first request are held until the line the step
    // must have printed before sending them arrives; a step that printed it later (after the
    // listing, after an object) would never send it while held, and the wait records `false`.
    const beforeListing: boolean[] = []
    const beforeFirstObject: boolean[] = []
    const offList = emulator.onRequest(
      { method: 'GET', route: LIST_ROUTE, pathIncludes: `/${repository}/`, times: 1 },
      async () => {
        beforeListing.push(await waiter.until(() => shown(lines).some((l) => /sweeping/i.test(l))))
      }
    )
    const offComments = emulator.onRequest(
      { method: 'GET', route: COMMENTS_ROUTE, pathIncludes: `/${repository}/`, times: 1 },
      async () => {
        beforeFirstObject.push(
          await waiter.until(() => lines.includes('Sweeping 3 open object(s).'))
        )
      }
    )
    try {
      const { run } = await bundle(repository, {
        eventName: 'schedule',
        onLine: (line) => {
          lines.push(line)
          waiter.onLine()
        }
      })
      expect([run.exitCode, run.annotations]).toEqual([0, []])
      expect(run.outputs).toMatchObject({
        'processed-issues': JSON.stringify(numbers),
        applied: '3',
        failed: '0'
      })
    } finally {
      offList()
      offComments()
    }
    expect([beforeListing, beforeFirstObject]).toEqual([[true], [true]])
    // The first line the runner shows is the start line; then the count; then one line per object.
    const out = shown(lines).map((l) => l.replace(/ \(so far .*\)$/, ''))
    expect(out).toEqual([
      'No issue in the schedule event: sweeping open stored objects.',
      'Sweeping 3 open object(s).',
      `[1/3] #${numbers[0]} alpha: 1 applied, 0 rejected`,
      `[2/3] #${numbers[1]} beta: 1 applied, 0 rejected`,
      `[3/3] #${numbers[2]} gamma: 1 applied, 0 rejected`
    ])
    expect(shown(lines)[2]).toMatch(
      /\(so far 1 applied, 0 rejected, 0 failed, \d+ s; about .+ left\)$/
    )
  })

  it("dist/process-updates: an outsider's HTML in a comment reaches the job summary file escaped, never as markup", async () => {
    const { repository, as } = await freshRepo()
    const owner = as(TOKENS.owner)
    const n = (await createObject(owner, 'guestbook', { n: 0 })).meta.issueNumber
    const hostile = '<img src=x onerror=alert(1)></details><script>x</script>'
    // A key path that ends up in the rejection reason (a number a double cannot hold).
    await as(TOKENS.mallory).octokit.rest.issues.createComment({
      owner: owner.owner,
      repo: owner.repo,
      issue_number: n,
      body: `{${JSON.stringify(hostile)}: 1e400}`
    })
    const { data: issue } = await owner.octokit.rest.issues.update({
      owner: owner.owner,
      repo: owner.repo,
      issue_number: n,
      state: 'open'
    })
    const payload = issuesEventPayload('reopened', {
      issue,
      repository: (await owner.octokit.rest.repos.get({ owner: owner.owner, repo: owner.repo }))
        .data,
      sender: (await owner.octokit.rest.users.getAuthenticated()).data,
      apiUrl: emulator.url
    })

    const { run, lines } = await bundle(repository, { eventName: 'issues', payload })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ applied: '0', rejected: '1' })
    expect(run.summary).toContain('<td>mallory</td>')
    expect(run.summary).toContain(
      '&lt;img src=x onerror=alert(1)&gt;&lt;/details&gt;&lt;script&gt;x&lt;/script&gt;'
    )
    // Only the summary's own markup is tags: none of the outsider's.
    for (const tag of ['<img', '</details>', '<script', '</script>'])
      expect(run.summary).not.toContain(tag)
    const tags = new Set([...run.summary.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]))
    expect([...tags].sort()).toEqual(['h2', 'table', 'td', 'th', 'tr'])
    // The log keeps the text on one line, in a warning annotation naming the rejection.
    const warning = lines.filter((l) => l.startsWith('::warning::'))
    expect(warning).toHaveLength(1)
    expect(warning[0]).toContain('NUMBER_OUT_OF_RANGE')
  })

  it('dist/process-updates: max-rate-limit-wait 1s against a rate limit resetting in 1 hour fails the step with RATE_LIMITED and the reset time, without waiting', async () => {
    const { repository } = await freshRepo()
    await emulator.admin.createToken({
      token: 'tok-limited',
      login: 'limited-bot[bot]',
      type: 'Bot',
      permission: 'write'
    })
    await emulator.admin.setRateLimit({
      token: 'tok-limited',
      limit: 5000,
      remaining: 0,
      reset_in_s: 3600
    })
    const started = Date.now()
    const { run, lines } = await bundle(repository, {
      eventName: 'schedule',
      token: 'tok-limited',
      inputs: { 'max-rate-limit-wait': '1s' }
    })
    expect(run.exitCode).not.toBe(0)
    expect(shown(lines)).toContainEqual(
      expect.stringMatching(
        /^hubstore: primary rate limit on GET \S+, lifting at \S+Z: not waiting \d+ ms \(over the 1000 ms bound\)$/
      )
    )
    const failure = run.annotations.find((a) => a.level === 'error')?.message ?? ''
    expect(failure).toMatch(
      /RATE_LIMITED: GitHub's primary rate limit \(core, 5000 an hour\) is used up: .* It lifts at \S+Z, later than the 1 s hubstore waits at most/
    )
    const resetAt = Date.parse(/It lifts at (\S+Z)/.exec(failure)?.[1] ?? '')
    expect(Math.abs(resetAt - (started + 3600_000))).toBeLessThan(60_000)
    // No request reached a handler: the limited token spent nothing on objects.
    const ledger = (await emulator.admin.ledger()).filter((e) => e.login === 'limited-bot[bot]')
    expect(ledger.every((e) => e.status === 403)).toBe(true)
  })

  it('dist/process-updates: request-timeout 200ms against answers held 2 s fails the step with one log line per retry', async () => {
    const { repository } = await freshRepo()
    await emulator.admin.setLatency({ route: LIST_ROUTE, ms: 2_000 })
    try {
      const { run, lines } = await bundle(repository, {
        eventName: 'schedule',
        inputs: { 'request-timeout': '200ms' },
        // retry waits of n² ms instead of seconds: time is a parameter
        env: { HUBSTORE_WRITE_SPACING_MS: '0', HUBSTORE_RETRY_AFTER_BASE_MS: '1' }
      })
      expect(run.exitCode).not.toBe(0)
      const request = `GET /repos/${repository}/issues`
      expect(shown(lines).filter((l) => l.startsWith('hubstore: retrying'))).toEqual(
        [2, 3, 4].map(
          (n) => `hubstore: retrying ${request} (attempt ${n}) after no answer within 200 ms`
        )
      )
      expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
        /GITHUB_REQUEST_FAILED: GitHub did not answer GET \S+ within 200 ms .*\(4 attempts\)/
      )
    } finally {
      await emulator.admin.setLatency({ route: LIST_ROUTE, ms: 0 })
    }
  })

  it('dist/process-updates: a sweep with a broken object exits non-zero, names its issue and id, and still processes the others', async () => {
    const { repository, as } = await freshRepo()
    const owner = as(TOKENS.owner)
    const numbers = await objectsWithUpdates(owner, ['first', 'broken', 'last'])
    const broken = numbers[1] as number
    await owner.octokit.rest.issues.update({
      owner: owner.owner,
      repo: owner.repo,
      issue_number: broken,
      body: 'not json'
    })

    const { run, lines } = await bundle(repository, { eventName: 'schedule' })
    expect(run.exitCode).not.toBe(0)
    expect(run.outputs).toMatchObject({
      'processed-issues': JSON.stringify(numbers),
      applied: '2',
      failed: '1',
      'failed-issues': `[${broken}]`
    })
    expect(shown(lines).filter((l) => l.startsWith('[2/3]'))).toEqual([
      expect.stringMatching(
        new RegExp(`^\\[2/3\\] #${broken} broken: failed: INVALID_OBJECT_BODY: `)
      )
    ])
    expect(run.annotations.map((a) => a.level)).toEqual(['error', 'error'])
    expect(run.annotations[0]!.message).toMatch(
      new RegExp(`^#${broken} broken failed: INVALID_OBJECT_BODY: The body of issue #${broken} `)
    )
    expect(run.annotations[1]!.message).toMatch(
      new RegExp(`^1 of 3 object\\(s\\) failed \\(issues #${broken}\\)`)
    )
    expect(run.summary).toMatch(
      new RegExp(`<td>&#35;${broken}</td><td>broken</td><td>INVALID_OBJECT_BODY: `)
    )
    // The others were processed and closed; the broken one is left as it was, open.
    const states = await Promise.all(
      numbers.map(async (issue_number) => {
        const { data } = await owner.octokit.rest.issues.get({
          owner: owner.owner,
          repo: owner.repo,
          issue_number
        })
        return [data.state, data.body]
      })
    )
    expect(states).toEqual([
      ['closed', '{\n  "n": 1\n}'],
      ['open', 'not json'],
      ['closed', '{\n  "n": 1\n}']
    ])

    // fail-on-error: false lets the step pass and still names the object.
    const lenient = await bundle(repository, {
      eventName: 'schedule',
      inputs: { 'fail-on-error': 'false' }
    })
    expect(lenient.run.exitCode).toBe(0)
    expect(lenient.run.outputs).toMatchObject({ failed: '1', 'failed-issues': `[${broken}]` })
    expect(lenient.run.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(new RegExp(`^#${broken} broken failed: INVALID_OBJECT_BODY: `))
    ])
  })
})
