import { BranchStore, createGitHubClient, type MigrationReport } from '@hubstore/core'
import { RepositoryVariables } from '@hubstore/core/automation-state'
import { startEmulator, type EmulatorAdminClient, type LedgerEntry } from '@hubstore/emulator'
import { runAction } from '../run-action/run-action.js'

/** The migration demo's repository and people (tokens exist only inside the emulator). */
export const MIGRATION_DEMO = {
  repository: 'octocat/instagram-automation',
  /** a PAT stand-in: seeds the variables (GITHUB_TOKEN cannot) */
  owner: { login: 'octocat', token: 'demo-migrate-owner-token' },
  /** the GITHUB_TOKEN stand-in the action runs with, reading variables through vars-json */
  bot: { login: 'github-actions[bot]', token: 'demo-migrate-actions-token' },
  accounts: ['PRIMARY', 'SECONDARY'],
  albums: ['72157001', '72157002', '72157003']
} as const

/** One step of the demo: the bundled action run once. */
export interface MigrationDemoStep {
  command: 'analyze' | 'migrate' | 'validate'
  dryRun: boolean
  exitCode: number
  report: MigrationReport
  /** API requests of the step, from the emulator's ledger */
  requests: number
  /** requests other than GET and GraphQL POSTs (REST writes) */
  restWrites: number
  /** head of the state branch after the step (`null`: absent) */
  branchHead: string | null
}

/** What {@link runMigrationDemo} did, for printing and for tests. */
export interface MigrationDemoResult {
  variables: Record<string, string>
  steps: MigrationDemoStep[]
  /** the files on the state branch at the end */
  files: string[]
}

/** The legacy variables the demo starts from: posts and failed positions per album, one metadata. */
export function migrationDemoVariables(): Record<string, string> {
  const vars: Record<string, string> = {}
  MIGRATION_DEMO.accounts.forEach((account, ai) =>
    MIGRATION_DEMO.albums.forEach((album, bi) => {
      const n = 3 + ai + bi
      vars[`${account}_ALBUM_${album}_POSTS`] = JSON.stringify(
        Array.from({ length: n }, (_, i) => ({
          position: i + 1,
          photo_id: `5${ai}${bi}${String(i + 1).padStart(3, '0')}`,
          instagram_post_id: `1790000${ai}${bi}${i}`,
          posted_at: `2025-0${1 + bi}-${String(10 + i).padStart(2, '0')}T09:30:00`
        }))
      )
      vars[`${account}_ALBUM_${album}_FAILED`] = JSON.stringify(bi === 1 ? [n + 1] : [])
    })
  )
  vars[`PRIMARY_ALBUM_${MIGRATION_DEMO.albums[0]}_METADATA`] = JSON.stringify({ total_photos: 20 })
  return vars
}

/**
 * The migration on real input: a repository whose automation kept its progress in repository
 * variables; the committed `migrate-state` bundle runs four times the way a workflow would run
 * it — with the GITHUB_TOKEN stand-in and `vars-json: ${{ toJSON(vars) }}` — analyze, migrate
 * (dry run: no write), migrate (one commit), validate (no mismatch).
 *
 * @param log receives each line to show (default: stdout).
 * @param options.emulator an emulator to use (`url` + `admin`); default: start and stop one.
 */
export async function runMigrationDemo(
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  options: { emulator?: { url: string; admin: EmulatorAdminClient } } = {}
): Promise<MigrationDemoResult> {
  const own = options.emulator ? null : await startEmulator()
  const emulator = options.emulator ?? (own as NonNullable<typeof own>)
  try {
    const [owner, repo] = MIGRATION_DEMO.repository.split('/') as [string, string]
    await emulator.admin.createRepo({ full_name: MIGRATION_DEMO.repository })
    await emulator.admin.createToken({ ...MIGRATION_DEMO.owner, permission: 'admin' })
    await emulator.admin.createToken({ ...MIGRATION_DEMO.bot, type: 'Bot', permission: 'write' })
    const octokit = createGitHubClient({
      token: MIGRATION_DEMO.owner.token,
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    const ctx = { octokit, owner, repo }
    const variables = migrationDemoVariables()
    const api = new RepositoryVariables(ctx)
    for (const [name, value] of Object.entries(variables)) await api.create(name, value)
    log(
      `▶ ${MIGRATION_DEMO.repository}: ${Object.keys(variables).length} repository variables ` +
        `(${MIGRATION_DEMO.accounts.length} accounts × ${MIGRATION_DEMO.albums.length} albums: _POSTS, _FAILED, one _METADATA)`
    )

    const store = new BranchStore(ctx)
    const steps: MigrationDemoStep[] = []
    const plan: Array<[MigrationDemoStep['command'], string]> = [
      ['analyze', ''],
      ['migrate', ''],
      ['migrate', 'false'],
      ['validate', '']
    ]
    for (const [command, dryRunInput] of plan) {
      await emulator.admin.clearLedger()
      const run = await runAction({
        name: 'migrate-state',
        eventName: 'workflow_dispatch',
        repository: MIGRATION_DEMO.repository,
        token: MIGRATION_DEMO.bot.token,
        apiUrl: emulator.url,
        inputs: { command, 'dry-run': dryRunInput, 'vars-json': JSON.stringify(variables) }
      })
      const ledger: LedgerEntry[] = await emulator.admin.ledger()
      const head = await store.head()
      const report = JSON.parse(run.outputs.report ?? 'null') as MigrationReport
      const step: MigrationDemoStep = {
        command,
        dryRun: report?.dryRun ?? false,
        exitCode: run.exitCode,
        report,
        requests: ledger.length,
        restWrites: ledger.filter((e) => e.method !== 'GET' && e.route !== '/graphql').length,
        branchHead: head?.commitSha ?? null
      }
      steps.push(step)
      if (run.exitCode !== 0 || !report) {
        log(`◀ ${command} failed (exit ${run.exitCode}):`)
        for (const line of run.log.trim().split('\n')) log(`  | ${line}`)
        break
      }
      const t = report.totals
      const label = `${command}${report.dryRun ? ' (dry run)' : ''}`
      if (command === 'analyze') {
        log(
          `◀ ${label}: ${t.variables} variables, ${t.bytes} bytes, ${t.mapped} mapped, ${t.invalid} invalid → ` +
            `${t.files} files on branch ${report.branch}; ${step.requests} requests`
        )
        for (const v of report.variables.slice(0, 4))
          log(`    ${v.name.padEnd(30)} ${String(v.bytes).padStart(4)} B → ${v.path}`)
        log(`    … and ${report.variables.length - 4} more`)
      } else if (command === 'migrate' && report.dryRun)
        log(
          `◀ ${label}: would write ${t.files} files for ${t.migrated} variables; ${step.restWrites} write ` +
            `requests, branch ${step.branchHead ? 'exists' : 'still absent'}; ${step.requests} requests`
        )
      else if (command === 'migrate')
        log(
          `◀ ${label}: one commit ${report.commitSha} with ${t.files} files; ${step.requests} requests ` +
            `(${step.restWrites} REST writes: tree, commit, ref)`
        )
      else
        log(
          `◀ ${label}: ${t.migrated} of ${t.variables} variables match their files, ${t.mismatches} mismatches; ` +
            `${step.requests} requests`
        )
    }

    const head = await store.head()
    const files = head ? [...(await listFiles(ctx, head.treeSha))].sort() : []
    if (head) {
      const sample = `primary-account/album-${MIGRATION_DEMO.albums[0]}/metadata.json`
      const meta = (await store.get<Record<string, unknown>>(sample))?.value ?? {}
      log(
        `◀ ${sample}: posted ${meta.posted_count} of ${meta.total_photos}, ${meta.completion_percentage}% ` +
          `(${meta.completion_status}) — derived from posts.json`
      )
    }
    return { variables, steps, files }
  } finally {
    if (own) await own.close()
  }
}

async function listFiles(
  ctx: { octokit: ReturnType<typeof createGitHubClient>; owner: string; repo: string },
  treeSha: string
): Promise<string[]> {
  const { data } = await ctx.octokit.rest.git.getTree({
    owner: ctx.owner,
    repo: ctx.repo,
    tree_sha: treeSha,
    recursive: 'true'
  })
  return data.tree.filter((e) => e.type === 'blob').map((e) => e.path as string)
}
