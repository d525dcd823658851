/**
 * An emulator with a GitHub App whose webhook URL is a real `node:http` receiver: each request
 * goes through `receiveDelivery` into the activity database, and its raw headers and body are
 * kept so a test can deliver it again byte for byte.
 */
import { createSign } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { createGitHubClient, type HubstoreOctokit } from '../../src/github/client.js'
import { receiveDelivery } from '../../src/activity/inbox.js'
import type { ActivityDb, ReceiveOutcome } from '../../src/activity/types.js'
import { SECRET } from './support.js'

export const OWNER = 'octo'
export const OWNER_TOKEN = 'tok-octo'

/** One webhook request as received. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders
  body: Buffer
  outcome: ReceiveOutcome
}

/** The receiver: answers what `receiveDelivery` says, into whichever database is current. */
export class Receiver {
  readonly requests: ReceivedRequest[] = []
  db: ActivityDb | null = null
  url = ''
  private server: Server | null = null

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks)
        const db = this.db
        if (!db) {
          res.writeHead(503).end()
          return
        }
        void receiveDelivery(db, { headers: req.headers, rawBody: body, secret: SECRET }).then(
          (outcome) => {
            this.requests.push({ headers: req.headers, body, outcome })
            res.writeHead(outcome.status, { 'content-type': 'text/plain' }).end(outcome.kind)
          },
          (error: unknown) => {
            res.writeHead(500).end(String(error))
          }
        )
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`
    return this
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve()
    )
  }
}

/** An App JWT (RS256) for the emulator's clock. */
export function appJwt(privateKey: string, appId: number, now = new Date()): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const s = Math.floor(now.getTime() / 1000)
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: s - 30, exp: s + 540, iss: appId })}`
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`
}

/** The world of one test file. */
export interface World {
  emulator: Emulator
  receiver: Receiver
  owner: HubstoreOctokit
  app: { id: number; slug: string; private_key: string }
  /** A client without a token, for App JWT requests (`authorization` passed per request). */
  anonymous: HubstoreOctokit
  /** A client for the installation's repositories (the owner's token: the tests' token mode). */
  clientFor: (installationId: number | null) => Promise<HubstoreOctokit>
  close(): Promise<void>
}

/** Starts the emulator and the receiver (storing into `db`), then registers the App `slug`. */
export async function startWorld(slug: string, db: ActivityDb): Promise<World> {
  const emulator = await startEmulator()
  const receiver = await new Receiver().start()
  receiver.db = db
  await emulator.admin.createToken({ token: OWNER_TOKEN, login: OWNER, permission: 'admin' })
  const app = await emulator.admin.createApp({
    slug,
    webhook_url: receiver.url,
    webhook_secret: SECRET,
    permissions: { contents: 'write', issues: 'write', pull_requests: 'write', metadata: 'read' },
    events: ['push', 'issues', 'pull_request', 'repository']
  })
  const client = (token = OWNER_TOKEN) =>
    createGitHubClient({
      token,
      baseUrl: emulator.url,
      retry: { retryAfterBaseMs: 5 },
      throttle: { writeSpacingMs: 0, retryAfterBaseMs: 5 },
      log: () => undefined
    })
  const owner = client()
  const reader = client()
  return {
    emulator,
    receiver,
    owner,
    app,
    anonymous: client(''),
    clientFor: async () => reader,
    async close() {
      await receiver.close()
      await emulator.close()
    }
  }
}

/** Writes `path` = `text` on the default branch through the contents API (a push). */
export async function commitFile(
  octokit: HubstoreOctokit,
  repo: string,
  path: string,
  text: string,
  author?: { name: string; email: string }
): Promise<string> {
  let sha: string | undefined
  try {
    const got = await octokit.rest.repos.getContent({ owner: OWNER, repo, path })
    sha = (got.data as { sha: string }).sha
  } catch {
    sha = undefined
  }
  const res = await octokit.rest.repos.createOrUpdateFileContents({
    owner: OWNER,
    repo,
    path,
    message: `write ${path}`,
    content: Buffer.from(text).toString('base64'),
    ...(sha ? { sha } : {}),
    ...(author ? { author, committer: author } : {})
  })
  return res.data.commit.sha!
}
