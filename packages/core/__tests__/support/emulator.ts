/**
 * Integration-test world: one emulator per test file, the users below, a fresh repository per test,
 * and clients built by the real `createGitHubClient` (millisecond waits instead of seconds).
 */
import { startEmulator, type Emulator } from '@hubstore/emulator'
import {
  createGitHubClient,
  type ClientOptions,
  type HubstoreOctokit
} from '../../src/github/client.js'
import type { RepoContext } from '../../src/github/context.js'

/** Logins and their tokens (the token string is the key). */
export const USERS = {
  octocat: { token: 'tok-octocat', login: 'octocat', permission: 'admin' }, // owns user repos
  wendy: { token: 'tok-wendy', login: 'wendy', permission: 'write' }, // write collaborator
  carol: { token: 'tok-carol', login: 'carol', permission: 'read' }, // in CODEOWNERS only
  tina: { token: 'tok-tina', login: 'tina', permission: 'read' }, // in team @acme/data only
  mallory: { token: 'tok-mallory', login: 'mallory', permission: 'read' }, // nobody
  adam: { token: 'tok-adam', login: 'adam', permission: 'admin' } // admin of acme's repos
} as const
export type UserName = keyof typeof USERS

/** Fast but real client options: retries and throttling stay on, waits are milliseconds. */
export const FAST: ClientOptions = {
  retry: { retryAfterBaseMs: 5 },
  throttle: { writeSpacingMs: 2, retryAfterBaseMs: 5 }
}

export async function startWorld(): Promise<Emulator> {
  const emulator = await startEmulator()
  for (const user of Object.values(USERS)) await emulator.admin.createToken(user)
  await emulator.admin.createTeam({ org: 'acme', slug: 'data', members: ['tina'] })
  return emulator
}

let counter = 0
/** A fresh repository (`octocat/<name>` or, for `org`, `acme/<name>`) and contexts on it. */
export async function freshRepo(
  emulator: Emulator,
  options: { org?: boolean; codeowners?: string; codeownersPath?: string } = {}
): Promise<{
  owner: string
  repo: string
  as: (user: UserName, extra?: ClientOptions) => RepoContext
}> {
  const owner = options.org ? 'acme' : 'octocat'
  const repo = `store-${process.pid}-${++counter}`
  await emulator.admin.createRepo({
    full_name: `${owner}/${repo}`,
    owner_type: options.org ? 'Organization' : 'User'
  })
  if (options.codeowners !== undefined)
    await emulator.admin.putFile(
      `${owner}/${repo}`,
      options.codeownersPath ?? '.github/CODEOWNERS',
      options.codeowners
    )
  return {
    owner,
    repo,
    as: (user, extra) => ({ octokit: client(emulator, user, extra), owner, repo })
  }
}

export function client(
  emulator: Emulator,
  user: UserName,
  extra: ClientOptions = {}
): HubstoreOctokit {
  return createGitHubClient({ ...FAST, ...extra, token: USERS[user].token, baseUrl: emulator.url })
}

/** Reactions on a comment, read back from the emulator, as `content by login` strings. */
export async function reactionsOf(ctx: RepoContext, commentId: number): Promise<string[]> {
  const reactions = await ctx.octokit.paginate(ctx.octokit.rest.reactions.listForIssueComment, {
    owner: ctx.owner,
    repo: ctx.repo,
    comment_id: commentId,
    per_page: 100
  })
  return reactions.map((r) => `${r.content} by ${r.user?.login}`).sort()
}

/** The issue as the emulator has it now. */
export async function readIssue(ctx: RepoContext, issueNumber: number) {
  const { data } = await ctx.octokit.rest.issues.get({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issueNumber
  })
  return data
}

/** Posts a raw comment (any body) on an issue and returns its id. */
export async function comment(
  ctx: RepoContext,
  issueNumber: number,
  body: string
): Promise<number> {
  const { data } = await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issueNumber,
    body
  })
  return Number(data.id)
}
