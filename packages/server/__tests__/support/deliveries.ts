/**
 * Signed webhook deliveries for the server's tests, made the way GitHub makes them: an
 * `issues` `opened` payload, `X-Hub-Signature-256` = HMAC-SHA256 of the exact body
 * (computed here with node:crypto, independently of the verifier), a GUID in `X-GitHub-Delivery`
 * (docs/github-behaviour.md §7). Processing one needs no GitHub request.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const SECRET = "It's a Secret to Everybody"
export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const REPOSITORY = { id: 9001, node_id: 'R_9001', full_name: 'octo-org/web', name: 'web' }

/** `sha256=<hex HMAC-SHA256 of body under secret>` (docs/github-behaviour.md §7). */
export function signature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

export interface Delivery {
  guid: string
  body: string
  headers: Record<string, string>
}

/** Delivery `n`: issue id 100000 + n, number n. */
export function issueDelivery(n: number, secret = SECRET): Delivery {
  const at = new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + n * 1000).toISOString()
  const body = JSON.stringify({
    action: 'opened',
    issue: {
      id: 100_000 + n,
      number: n,
      title: `issue ${n}`,
      body: null,
      state: 'open',
      user: { login: 'octocat' },
      created_at: at,
      updated_at: at,
      closed_at: null
    },
    repository: { ...REPOSITORY, owner: { login: 'octo-org' }, default_branch: 'main' },
    sender: { login: 'octocat' }
  })
  const guid = randomUUID()
  return {
    guid,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': 'issues',
      'x-github-delivery': guid,
      'x-hub-signature-256': signature(secret, body)
    }
  }
}

/** POSTs `d` to the server's webhook route; answers the status (0 when the connection failed). */
export async function post(url: string, d: Delivery): Promise<number> {
  try {
    const res = await fetch(`${url}/api/github/webhook`, {
      method: 'POST',
      headers: d.headers,
      body: d.body
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}

/** Runs `task` over `items` with at most `concurrency` at a time; answers results in order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, i: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await task(items[i]!, i)
      }
    })
  )
  return results
}

/** Polls `check` until it answers true (every 25 ms, at most `limitMs`); a condition, not a clock. */
export async function until(check: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A server child process (support/serve-child.ts) and its URL once it listens. */
export interface ServeChild {
  child: ChildProcess
  url: string
  exited: Promise<number | null>
}

/** Starts support/serve-child.ts with `env`; resolves once it prints its listening line. */
export function startServeChild(env: Record<string, string>): Promise<ServeChild> {
  const script = fileURLToPath(new URL('./serve-child.ts', import.meta.url))
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_WEBHOOK_SECRET: SECRET,
    HUBSTORE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...env
  }
  delete childEnv.NODE_OPTIONS
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  let err = ''
  child.stderr!.on('data', (c: Buffer) => void (err += c.toString()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ child, url: m[1]!, exited })
    })
    void exited.then((code) => reject(new Error(`serve child exited (${code}): ${err}`)))
  })
}
