/**
 * Automation state: requests to migrate V repository variables to a state branch (goal: the
 * variable listing pages plus a constant number of writes), against a per-file baseline that
 * writes each file with its own contents-API compare-and-swap (GET + PUT per file), and the cost
 * of one read-modify-write of a document on the branch.
 */
import { BranchStore, createGitHubClient, runMigration, type HubstoreOctokit } from '@hubstore/core'
import {
  GitStateAdapter,
  AUTOMATION_STATE_SCHEMAS,
  recordPost,
  RepositoryVariables
} from '@hubstore/core/automation-state'
import { startEmulator, type LedgerEntry } from '@hubstore/emulator'
import { printTable } from './table.js'

const SIZES = [60, 300]

/** V variables: V/2 albums, each a _POSTS (5 records) and a _FAILED variable, over 3 accounts. */
function legacy(v: number): Record<string, string> {
  const out: Record<string, string> = {}
  const accounts = ['PRIMARY', 'SECONDARY', 'TERTIARY']
  for (let i = 0; i < v / 2; i++) {
    const account = accounts[i % 3]
    const album = `72157${String(i).padStart(4, '0')}`
    out[`${account}_ALBUM_${album}_POSTS`] = JSON.stringify(
      Array.from({ length: 5 }, (_, k) => ({
        position: k + 1,
        photo_id: `${album}${k}`,
        instagram_post_id: `17900${i}${k}`,
        posted_at: '2025-01-01T10:00:00Z'
      }))
    )
    out[`${account}_ALBUM_${album}_FAILED`] = JSON.stringify([6, 7])
  }
  return out
}

/** The per-file baseline: each target file written with GET contents + PUT contents (CAS on sha). */
async function perFileContents(
  octokit: HubstoreOctokit,
  owner: string,
  repo: string,
  branch: string,
  files: Record<string, unknown>
): Promise<void> {
  for (const [path, value] of Object.entries(files)) {
    let sha: string | undefined
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref: branch })
      if (!Array.isArray(data)) sha = data.sha
    } catch {
      sha = undefined
    }
    await octokit.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path,
      branch,
      message: `migrate ${path}`,
      content: Buffer.from(`${JSON.stringify(value, null, 2)}\n`).toString('base64'),
      ...(sha ? { sha } : {}),
      request: { retries: 0 }
    })
  }
}

function writesOf(ledger: LedgerEntry[]): number {
  return ledger.filter((e) => e.method !== 'GET' && e.route !== '/graphql').length
}

/** Runs the state benchmarks and prints their tables. */
export async function benchState(): Promise<void> {
  const emulator = await startEmulator()
  try {
    await emulator.admin.createToken({
      token: 'state-owner',
      login: 'octocat',
      permission: 'admin'
    })
    const octokit = createGitHubClient({
      token: 'state-owner',
      baseUrl: emulator.url,
      throttle: { writeSpacingMs: 0 }
    })
    // The ledger shows GraphQL queries and mutations alike as POST /graphql; count mutations here.
    let mutations = 0
    octokit.hook.before('request', (options) => {
      const query = String((options as { query?: unknown }).query ?? '')
      if (String(options.url).endsWith('/graphql') && /^\s*mutation\b/.test(query)) mutations += 1
    })
    const rows: string[][] = []
    for (const v of SIZES) {
      const repo = `state-bench-${v}`
      await emulator.admin.createRepo({ full_name: `octocat/${repo}` })
      const ctx = { octokit, owner: 'octocat', repo }
      const api = new RepositoryVariables(ctx)
      for (const [name, value] of Object.entries(legacy(v))) await api.create(name, value)
      const pages = Math.ceil(v / 30)

      const measure = async (label: string, body: () => Promise<unknown>) => {
        await emulator.admin.clearLedger()
        const m0 = mutations
        const t0 = performance.now()
        await body()
        const ms = performance.now() - t0
        const ledger = await emulator.admin.ledger()
        return { label, requests: ledger.length, writes: writesOf(ledger) + mutations - m0, ms }
      }
      let commits = 0
      const results = [
        await measure('migrate (dry run)', () => runMigration(ctx, 'migrate')),
        await measure('migrate', async () => {
          const r = await runMigration(ctx, 'migrate', { dryRun: false })
          commits = (
            await emulator.admin.refHistory(`octocat/${repo}`, 'refs/heads/automation-state')
          ).length
          return r
        }),
        await measure('validate', () => runMigration(ctx, 'validate'))
      ]
      const targets: Record<string, string> = {
        'migrate (dry run)': `${pages} pages + 1 query, 0 writes`,
        migrate: `${pages} pages + 1 query + 3 writes`,
        validate: `${pages} pages + ${Math.ceil((v * 1.5) / 100)} queries`
      }
      for (const r of results)
        rows.push([
          String(v),
          r.label,
          String(pages),
          String(r.requests),
          String(r.writes),
          r.label === 'migrate' ? String(commits) : '0',
          targets[r.label] ?? '',
          r.ms.toFixed(0)
        ])

      // Baseline: the same files, one contents-API CAS write each.
      const store = new BranchStore(ctx)
      const head = await store.head()
      const files: Record<string, unknown> = {}
      if (head) {
        const { data } = await octokit.rest.git.getTree({
          owner: 'octocat',
          repo,
          tree_sha: head.treeSha,
          recursive: 'true'
        })
        const paths = data.tree.filter((e) => e.type === 'blob').map((e) => e.path as string)
        const docs = await store.getMany(paths)
        for (const [p, d] of docs) files[p] = d.value
      }
      await octokit.rest.git.createRef({
        owner: 'octocat',
        repo,
        ref: 'refs/heads/baseline',
        sha: (await octokit.rest.repos.getBranch({ owner: 'octocat', repo, branch: 'main' })).data
          .commit.sha
      })
      const base = await measure('per-file contents PUT (baseline)', async () => {
        await api.list()
        await perFileContents(octokit, 'octocat', repo, 'baseline', files)
      })
      rows.push([
        String(v),
        base.label,
        String(pages),
        String(base.requests),
        String(base.writes),
        String(
          (await emulator.admin.refHistory(`octocat/${repo}`, 'refs/heads/baseline')).length - 1
        ),
        '',
        base.ms.toFixed(0)
      ])
    }
    printTable(
      'migrate-state: V repository variables → state branch (requests from the emulator ledger)',
      ['V', 'operation', 'var pages', 'requests', 'writes', 'commits', 'target', 'wall ms'],
      rows
    )

    // One read-modify-write of an album on the branch (recordPost): requests per call.
    const repo = 'state-bench-rmw'
    await emulator.admin.createRepo({ full_name: `octocat/${repo}` })
    const git = new GitStateAdapter(
      new BranchStore({ octokit, owner: 'octocat', repo }, { schemas: AUTOMATION_STATE_SCHEMAS })
    )
    const rmw: string[][] = []
    for (let i = 1; i <= 3; i++) {
      await emulator.admin.clearLedger()
      const m0 = mutations
      const t0 = performance.now()
      await recordPost(git, 'primary', '1', {
        position: i,
        photo_id: `p${i}`,
        instagram_post_id: `i${i}`
      })
      const ms = performance.now() - t0
      const ledger = await emulator.admin.ledger()
      rmw.push([
        i === 1 ? 'first write (creates the orphan branch)' : `write ${i}`,
        String(ledger.length),
        String(writesOf(ledger) + mutations - m0),
        i === 1 ? '1 query + tree, commit, ref' : '1 query + 1 createCommitOnBranch',
        ms.toFixed(0)
      ])
    }
    printTable(
      'state branch: recordPost (posts.json + derived metadata.json in one commit)',
      ['call', 'requests', 'writes', 'shape', 'wall ms'],
      rmw
    )
  } finally {
    await emulator.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchState()
