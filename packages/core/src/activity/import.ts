/**
 * `importActivity`: the initial import as one `initial_import` job — a token's repositories,
 * or every installation of an App with every repository it can reach — through fetch.ts's
 * `syncRepository` / `importInstallation` (full fetch, no `since`). What `hubstore activity
 * import` runs; the webhook `installation.created` runs the same per installation.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { callGitHub } from '../github/request.js'
import { importInstallation, syncRepository } from './fetch.js'
import { runJob, type JobRunOptions } from './job-run.js'
import { installationRow, upsertInstallation } from './rows.js'
import type { ActivityDb, SyncJobRow } from './types.js'

/** Options of {@link importActivity}. */
export interface ImportOptions extends JobRunOptions {
  clientFor(installationId: number | null): Promise<HubstoreOctokit>
  /** App mode: the App's client; its installations are imported (`GET /app/installations`). */
  appClient?: HubstoreOctokit
  /** Token mode: the repositories to import (`owner/name`). */
  repositories?: readonly string[]
  /** After each repository (its counts, or the error that stopped it). */
  onRepository?: (r: { repository: string; error?: unknown; done: number }) => void
}

/**
 * Imports everything and answers the finished `initial_import` job row. A repository that
 * fails is recorded in the job's `errors`; the others still run. Requests: per repository 1 +
 * one per page of commits, issues and pull requests (100 per page); App mode adds
 * `GET /app/installations` and one `GET /installation/repositories` page per 100 repositories.
 */
export async function importActivity(db: ActivityDb, options: ImportOptions): Promise<SyncJobRow> {
  const now = options.now ?? Date.now
  let done = 0
  return runJob(db, 'initial_import', options, async (record) => {
    const report = (repository: string, error?: unknown) => {
      done += 1
      if (error === undefined) record.repositoryProcessed()
      else record.error({ repository, error })
      options.onRepository?.({ repository, error, done })
    }
    if (options.appClient) {
      record.use(options.appClient)
      const installations = (await callGitHub('list the App’s installations', () =>
        options.appClient!.paginate('GET /app/installations', { per_page: 100 })
      )) as unknown as Array<Record<string, unknown>>
      for (const inst of installations) {
        const id = Number(inst.id)
        await upsertInstallation(db, installationRow(inst, new Date(now())))
        const octokit = await options.clientFor(id)
        record.use(octokit)
        const result = await importInstallation(db, octokit, id, {
          now: () => new Date(now()),
          onRepository: (r) => report(r.full_name, 'error' in r ? r.error : undefined)
        })
        record.add(result.counts)
      }
      return
    }
    const octokit = await options.clientFor(null)
    record.use(octokit)
    for (const fullName of options.repositories ?? []) {
      try {
        const result = await syncRepository(
          db,
          octokit,
          { full_name: fullName },
          { since: null, now: () => new Date(now()) }
        )
        record.add(result.counts)
        report(fullName)
      } catch (error) {
        report(fullName, error)
      }
    }
  })
}
