/**
 * The three GitHub calls a sequence makes: read the file (`GET contents`), write it guarded by
 * its blob SHA (`PUT contents` with `sha`, automatic retries off), and, rarely, search the file's
 * commits for a claim trailer. `docs/github-behaviour.md §1.1, §1.2, §9`.
 */
import type { HubstoreOctokit } from '../github/client.js'
import { InvalidSequenceFileError } from '../errors.js'
import { gitBlobSha, rawBytes, writeRepoFile } from '../github/contents.js'
import { ensureRepositoryVisible } from '../github/repository.js'
import { callGitHub, githubMessageOf, statusOf, toGitHubRequestError } from '../github/request.js'
import { EMPTY_DOCUMENT, parseSequenceFile, type SequenceDocument } from './file.js'
import { hasClaimTrailer } from './message.js'

/** Where a sequence file lives. `branch` undefined = the repository's default branch. */
export interface FileLocation {
  octokit: HubstoreOctokit
  owner: string
  repo: string
  path: string
  branch?: string
}

/** `owner/repo:path (branch b)`, for messages. */
export function describeFile(loc: Omit<FileLocation, 'octokit'>): string {
  return `${loc.owner}/${loc.repo}:${loc.path} (${loc.branch ? `branch ${loc.branch}` : 'default branch'})`
}

/** The file as read at one moment. */
export interface Snapshot {
  /** The file's git blob SHA, which the next write must quote; `null` when there is no file. */
  sha: string | null
  /** The GET's `ETag`, for a conditional re-read (a 304 costs no rate limit). */
  etag?: string
  doc: SequenceDocument
}

/**
 * `GET /repos/{o}/{r}/contents/{path}?ref=<branch>` (no `ref` for the default branch, so no extra
 * request looks the branch up) with the raw media type, so a file of any size up to 100 MB is
 * read in one request (the default JSON media type stops at 1 MB, docs/github-behaviour.md §1.1);
 * the blob SHA the next write quotes is computed from the bytes read. With `conditional`, sends
 * `If-None-Match` and returns it when the answer is 304. A 404 means "no file yet", except
 * GitHub's `No commit found for the ref`, once one more request has found the repository.
 *
 * Cost: 1 request; 2 when there is no file yet (the extra `GET /repos/{owner}/{repo}`).
 *
 * @throws InvalidSequenceFileError (a directory, not JSON, wrong shape), RepositoryNotFoundError
 *   (the repository does not exist or the token cannot see it), GitHubRequestError.
 */
export async function readSnapshot(loc: FileLocation, conditional?: Snapshot): Promise<Snapshot> {
  const file = describeFile(loc)
  let response
  try {
    response = await loc.octokit.rest.repos.getContent({
      owner: loc.owner,
      repo: loc.repo,
      path: loc.path,
      ...(loc.branch ? { ref: loc.branch } : {}),
      headers: {
        accept: 'application/vnd.github.raw+json',
        ...(conditional?.etag ? { 'if-none-match': conditional.etag } : {})
      }
    })
  } catch (error) {
    const status = statusOf(error)
    if (status === 304 && conditional) return conditional
    if (status === 404 && !/no commit found for the ref/i.test(githubMessageOf(error) ?? '')) {
      await ensureRepositoryVisible(loc, error)
      return { sha: null, doc: EMPTY_DOCUMENT }
    }
    throw toGitHubRequestError(`read ${file}`, error)
  }
  const bytes = rawBytes(response.data)
  if (!bytes) throw new InvalidSequenceFileError(file, '', 'is a directory, not a file')
  const etag = response.headers.etag
  return {
    sha: gitBlobSha(bytes),
    ...(etag ? { etag } : {}),
    doc: parseSequenceFile(bytes.toString('utf8'), file)
  }
}

/** How a guarded write ended. */
export type WriteOutcome =
  | { kind: 'written'; blobSha: string; commitSha: string }
  /** Definitely not applied: the file moved since it was read. */
  | { kind: 'conflict'; problem: string }
  /** May or may not be applied: timeout, network failure or 5xx. Read back to know. */
  | { kind: 'ambiguous'; problem: string; error: unknown }

/**
 * The guarded `PUT` of the file ({@link writeRepoFile}: `sha` omitted for a new file, `branch`
 * omitted for the default branch, plugin-retry off — resending a PUT whose answer was lost would
 * turn our own success into a 409 — and aborted after `timeoutMs`), in the sequence's terms.
 *
 * @throws GitHubRequestError for answers that are neither (401, 403, 404 branch, other 422).
 */
export async function writeSnapshot(
  loc: FileLocation,
  write: { text: string; sha: string | null; message: string; timeoutMs: number }
): Promise<WriteOutcome> {
  const outcome = await writeRepoFile(loc, { path: loc.path, branch: loc.branch, ...write })
  switch (outcome.kind) {
    case 'written':
      return { kind: 'written', blobSha: outcome.contentSha, commitSha: outcome.commitSha }
    case 'conflict':
      return outcome
    case 'unknown':
      return { kind: 'ambiguous', problem: outcome.problem, error: outcome.error }
    case 'branch-missing':
      throw toGitHubRequestError(
        `write ${describeFile(loc)} (the token needs contents: write; the branch must exist)`,
        outcome.error
      )
  }
}

/**
 * The commit whose message carries `Hubstore-Claim: <nonce>`, searched newest first through
 * `GET /repos/{o}/{r}/commits?sha=<branch>&path=<path>`, 100 per page, at most `pages` pages.
 *
 * @throws GitHubRequestError
 */
export async function findClaimCommit(
  loc: FileLocation,
  nonce: string,
  pages: number
): Promise<string | null> {
  for (let page = 1; page <= pages; page++) {
    const { data } = await callGitHub(`list the commits of ${describeFile(loc)}`, () =>
      loc.octokit.rest.repos.listCommits({
        owner: loc.owner,
        repo: loc.repo,
        path: loc.path,
        ...(loc.branch ? { sha: loc.branch } : {}),
        per_page: 100,
        page
      })
    )
    const found = data.find((c) => hasClaimTrailer(c.commit.message, nonce))
    if (found) return found.sha
    if (data.length < 100) return null
  }
  return null
}
