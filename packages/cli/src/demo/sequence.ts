import { createGitHubClient, listSequences } from '@hubstore/core'
import { EmulatorAdminError, type Emulator } from '@hubstore/emulator'
import { runAction, type ActionRun } from '../run-action/run-action.js'

/** The sequence demo's repository, file and runs. */
export const SEQUENCE_DEMO = {
  repository: 'octocat/hubstore-sequences',
  token: 'demo-sequence-actions-token',
  login: 'github-actions[bot]',
  sequence: 'akdchydnch_seq',
  /** GST rule 46(b): at most 16 characters; `AKDC/25-26/0302` is 15. */
  format: 'AKDC/{fy_short}/{value:04}',
  runs: 8,
  /** The existing file the numbers continue from (format of the original `sequence_data.json`). */
  initialFile: `${JSON.stringify(
    {
      sequences: { akdchydnch_seq: 301 },
      last_updated: '2025-03-31T18:30:00.000Z',
      version: '1.0'
    },
    null,
    2
  )}\n`
} as const

/** What {@link runSequenceDemo} did, for printing and for tests. */
export interface SequenceDemoResult {
  runs: ActionRun[]
  /** the `value` output of each run, in run order */
  numbers: number[]
  distinct: boolean
  /** the numbers, sorted, follow each other with no hole */
  consecutive: boolean
  /** the value in the file afterwards */
  finalValue: number
  /** the increment commits, oldest first (first line of each message) */
  commits: string[]
}

/**
 * The demo's sequence step: on an already started emulator, puts an existing
 * `sequence_data.json` (`akdchydnch_seq` at 301) in a repository, then runs the committed
 * `increment-sequence` bundle 8 times at once, as 8 workflow runs racing for the next
 * delivery-challan number, and prints what each got, the file and its history.
 *
 * @param log receives each line to show (default: stdout).
 */
export async function runSequenceDemo(
  emulator: Emulator,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)
): Promise<SequenceDemoResult> {
  const d = SEQUENCE_DEMO
  const [owner, repo] = d.repository.split('/') as [string, string]
  await emulator.admin
    .createRepo({ full_name: d.repository, default_branch: 'main' })
    .catch((error: unknown) => {
      if (!(error instanceof EmulatorAdminError && error.status === 409)) throw error
    })
  await emulator.admin.createToken({ token: d.token, login: d.login, permission: 'write' })
  await emulator.admin.putFile(d.repository, 'sequence_data.json', d.initialFile)
  log(
    `▶ ${d.repository}:sequence_data.json holds ${d.sequence} = 301; starting ${d.runs} runs of ` +
      `dist/increment-sequence/index.js at once (format ${d.format})`
  )

  const runs = await Promise.all(
    Array.from({ length: d.runs }, (_, i) =>
      runAction({
        name: 'increment-sequence',
        eventName: 'workflow_dispatch',
        inputs: { sequence: d.sequence, format: d.format },
        repository: d.repository,
        token: d.token,
        apiUrl: emulator.url,
        // Eight different workflow runs: each has its own run id, hence its own idempotency key.
        env: { GITHUB_RUN_ID: String(7_000_001 + i) }
      })
    )
  )
  for (const [i, run] of runs.entries()) {
    const o = run.outputs
    log(
      `  run ${i + 1}: exit ${run.exitCode}, value ${o.value ?? '-'} (${o.formatted ?? '-'}), ` +
        `${o.attempts ?? '?'} attempt(s), commit ${(o['commit-sha'] ?? '').slice(0, 7)}`
    )
  }

  const numbers = runs.map((r) => Number(r.outputs.value))
  const sorted = [...numbers].sort((a, b) => a - b)
  const distinct = new Set(numbers).size === numbers.length && numbers.every(Number.isInteger)
  const consecutive = sorted.every((n, i) => i === 0 || n === (sorted[i - 1] as number) + 1)
  const octokit = createGitHubClient({ token: d.token, baseUrl: emulator.url })
  const listing = await listSequences({ octokit, owner, repo })
  const history = await octokit.rest.repos.listCommits({
    owner,
    repo,
    path: 'sequence_data.json',
    per_page: 100
  })
  const commits = history.data
    .map((c) => c.commit.message.split('\n')[0] ?? '')
    .filter((m) => m.startsWith('Increment '))
    .reverse()
  const finalValue = listing.sequences[d.sequence] ?? NaN
  log(
    `◀ ${numbers.length} runs got ${sorted.join(', ')}: ` +
      `${distinct ? 'all distinct' : 'DUPLICATES'}, ${consecutive ? 'consecutive' : 'NOT consecutive'}; ` +
      `file now says ${d.sequence} = ${finalValue}`
  )
  log(`◀ History of sequence_data.json (one commit per number, oldest first):`)
  for (const line of commits) log(`    ${line}`)
  return { runs, numbers, distinct, consecutive, finalValue, commits }
}
