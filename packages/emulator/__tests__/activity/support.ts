import type { Emulator } from '../../src/index.js'
import type { TestClient } from '../support.js'

/** Commits `path` = `text` on `branch` through the contents API, authored by `author`. */
export async function commitAs(
  octokit: TestClient,
  r: { owner: string; repo: string },
  path: string,
  text: string,
  options: { branch?: string; author?: { name: string; email: string }; message?: string } = {}
): Promise<string> {
  let sha: string | undefined
  try {
    const got = await octokit.rest.repos.getContent({ ...r, path, ref: options.branch })
    sha = (got.data as { sha: string }).sha
  } catch {
    sha = undefined
  }
  const res = await octokit.rest.repos.createOrUpdateFileContents({
    ...r,
    path,
    message: options.message ?? `write ${path}`,
    content: Buffer.from(text).toString('base64'),
    ...(sha ? { sha } : {}),
    ...(options.branch ? { branch: options.branch } : {}),
    ...(options.author ? { author: options.author, committer: options.author } : {})
  })
  return res.data.commit.sha!
}

/** Creates branch `name` at the head of `from` (default `main`). */
export async function branch(
  octokit: TestClient,
  r: { owner: string; repo: string },
  name: string,
  from = 'main'
): Promise<string> {
  const head = await octokit.rest.git.getRef({ ...r, ref: `heads/${from}` })
  await octokit.rest.git.createRef({ ...r, ref: `refs/heads/${name}`, sha: head.data.object.sha })
  return head.data.object.sha
}

/** `/rate_limit`'s `resources.core.used` for `octokit` (the call itself is free). */
export async function coreUsed(octokit: TestClient): Promise<number> {
  return (await octokit.rest.rateLimit.get()).data.resources.core.used
}

/** A user token with verified e-mail addresses (commits by them are the user's). */
export async function userWithEmails(
  emulator: Emulator,
  login: string,
  emails: string[]
): Promise<string> {
  const token = `tok-${login}`
  await emulator.admin.createToken({ token, login, permission: 'write', emails })
  return token
}
