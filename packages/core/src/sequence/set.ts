/**
 * One correction (`Set <key>: <old> → <value>`) as a compare-and-swap loop (`github/cas.ts`):
 * read, write guarded by the blob SHA read, and after a lost answer read the value back —
 * setting is idempotent, so the value in place is all that matters, whoever wrote it.
 */
import { randomUUID } from 'node:crypto'
import { compareAndSwap, type ResolvedRetryOptions } from '../github/cas.js'
import { SequenceContentionError, SequenceOutcomeUnknownError } from '../errors.js'
import { writeSnapshot, type Snapshot } from './contents.js'
import { sequencesOf, serialiseSequenceFile, withValue, type SequenceDocument } from './file.js'
import type { SequenceFile } from './handle.js'
import { setMessage } from './message.js'
import type { StoreSettings } from './options.js'
import type { SetResult } from './types.js'

/**
 * Sets `key` (of sequence `name`) to `value`.
 *
 * @throws InvalidSequenceFileError, SequenceContentionError, SequenceOutcomeUnknownError,
 *   GitHubRequestError.
 */
export async function runSet(
  file: SequenceFile,
  settings: StoreSettings,
  target: { name: string; key: string; value: number; retry: ResolvedRetryOptions }
): Promise<SetResult> {
  const { name, key, value } = target
  const requestsBefore = file.requests()
  const nonce = randomUUID()
  const done = (previous: number | null, commitSha: string | null, attempts: number) => ({
    name,
    key,
    previous,
    value,
    commitSha,
    attempts,
    requests: file.requests() - requestsBefore
  })
  const outcome = await compareAndSwap<
    Snapshot,
    { previous: number | null; next: SequenceDocument },
    SetResult
  >(
    {
      read: () => file.read(),
      plan: (snap, attempt) => {
        const previous = sequencesOf(snap.doc)[key] ?? null
        if (previous === value) return { finish: done(previous, null, attempt) }
        return { write: { previous, next: withValue(snap.doc, key, value, settings.now()) } }
      },
      write: async (snap, { previous, next }, attempt) => {
        const written = await writeSnapshot(file.loc, {
          text: serialiseSequenceFile(next),
          sha: snap.sha,
          message: setMessage(key, previous, value, nonce),
          timeoutMs: settings.requestTimeoutMs
        })
        file.cache = written.kind === 'written' ? { sha: written.blobSha, doc: next } : undefined
        if (written.kind !== 'written') return written
        return { kind: 'written', value: done(previous, written.commitSha, attempt) }
      },
      settle: async ({ plan, outcome, attempt }) => {
        if (outcome.kind === 'conflict') return { retry: {} }
        let fresh: Snapshot
        try {
          fresh = await file.read()
        } catch (error) {
          throw new SequenceOutcomeUnknownError(
            name,
            file.description,
            nonce,
            value,
            value,
            undefined,
            { cause: error }
          )
        }
        if (sequencesOf(fresh.doc)[key] === value)
          return { finish: done(plan.previous, null, attempt) }
        return { retry: {} }
      }
    },
    target.retry
  )
  if (outcome.kind === 'finished') return outcome.value
  throw new SequenceContentionError(
    name,
    file.description,
    outcome.attempts,
    outcome.elapsedMs,
    outcome.problem
  )
}
