/**
 * One writer process of the sequence torture test. Run as
 * `node --import tsx torture-worker.ts <apiUrl> <token> <owner/repo> <name> <increments> <worker> <mode>`
 * (the test runs it bundled: test-support/bundle-for-child.ts);
 * prints `ready`, waits for a line on stdin, performs its increments one after another and prints
 * one JSON line `{"worker", "ops": [...]}` with, per operation, its invoke and response times
 * (`performance.timeOrigin + performance.now()`, comparable across processes), the block it got,
 * or the error code it ended with. `mode` is `warm` (one SequenceStore for all increments: a
 * long-running process) or `cold` (a fresh store per increment: one workflow run each).
 */
import { createInterface } from 'node:readline'
// Bottleneck's zero-length waits through setImmediate, as in the Jest process: about 15 ms less
// per request, pure waiting against the emulator (see the file). Spacing and retry waits as shipped.
import '../../../../../test-support/jest-setup.js'
import { createGitHubClient } from '../../../src/github/client.js'
import { SequenceStore, incrementSequence } from '../../../src/sequence/store.js'

export interface TortureOp {
  worker: number
  invoke: number
  response: number
  first?: number
  last?: number
  nonce?: string
  attempts?: number
  error?: { code: string; nonce?: string; first?: number; last?: number; message: string }
}

const [apiUrl, token, fullName, name, increments, worker, mode] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  'warm' | 'cold'
]
const [owner, repo] = fullName.split('/') as [string, string]
// Throttle spacing off (each process is one client; GitHub's 1 s spacing would serialise the
// race away) and plugin-retry waits shortened; the sequence code path is the shipped one.
const octokit = createGitHubClient({
  token,
  baseUrl: apiUrl,
  retry: { retryAfterBaseMs: 5 },
  throttle: { writeSpacingMs: 0 }
})
const policy = { retry: { maxAttempts: 60, maxElapsedMs: 90_000, baseMs: 20, maxMs: 400 } }
const store = new SequenceStore({ octokit, owner, repo, ...policy })
const clock = () => performance.timeOrigin + performance.now()

process.stdout.write('ready\n')
await new Promise<void>((resolve) => {
  const input = createInterface({ input: process.stdin })
  input.once('line', () => {
    input.close()
    process.stdin.destroy()
    resolve()
  })
})

const ops: TortureOp[] = []
for (let i = 0; i < Number(increments); i++) {
  const invoke = clock()
  try {
    const r =
      mode === 'warm'
        ? await store.increment({ name })
        : await incrementSequence({ octokit, owner, repo }, { name, ...policy })
    ops.push({
      worker: Number(worker),
      invoke,
      response: clock(),
      first: r.first,
      last: r.last,
      nonce: r.nonce,
      attempts: r.attempts
    })
  } catch (error) {
    const e = error as {
      code?: string
      nonce?: string
      first?: number
      last?: number
      message?: string
    }
    ops.push({
      worker: Number(worker),
      invoke,
      response: clock(),
      error: {
        code: e.code ?? 'UNEXPECTED',
        ...(e.nonce ? { nonce: e.nonce, first: e.first, last: e.last } : {}),
        message: e.message ?? String(error)
      }
    })
  }
}
process.stdout.write(`${JSON.stringify({ worker: Number(worker), ops })}\n`)
