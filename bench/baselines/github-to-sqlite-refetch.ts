/**
 * The github-to-sqlite baseline (dogsheep/github-to-sqlite, docs/activity-sweeps.md §1): every
 * run refetches every repository, all its commits and all its issues, whatever changed.
 * Answers the REST requests it sent.
 */
import type { HubstoreOctokit } from '@hubstore/core'

export async function refetchEverything(
  octokit: HubstoreOctokit,
  repositories: readonly string[]
): Promise<number> {
  const before = octokit.hubstore.requests
  for (const fullName of repositories) {
    const [owner, repo] = fullName.split('/') as [string, string]
    await octokit.rest.repos.get({ owner, repo })
    await octokit.paginate(octokit.rest.repos.listCommits, { owner, repo, per_page: 100 })
    await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state: 'all',
      per_page: 100
    })
  }
  return octokit.hubstore.requests - before
}
