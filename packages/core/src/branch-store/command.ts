/**
 * `get` / `set` / `merge` / `delete` of one JSON document on a state branch: the one
 * implementation behind the `state` action and `hubstore state`.
 */
import type { RepoContext } from '../github/context.js'
import { InvalidOptionsError } from '../errors.js'
import { BranchStore, type BranchStoreOptions } from './branch-store.js'

/** The four operations. */
export const STATE_COMMANDS = ['get', 'set', 'merge', 'delete'] as const
export type StateCommand = (typeof STATE_COMMANDS)[number]

/** Options of {@link runStateCommand}. */
export interface StateCommandOptions {
  /** The document's path on the branch, e.g. `my-job/state.json`. */
  path: string
  /** `set`: the new document; `merge`: a JSON Merge Patch (RFC 7396). */
  value?: unknown
  /** `get`: the value reported when the document does not exist (default `null`). */
  defaultValue?: unknown
  /** Commit message for `set` / `merge` / `delete`. */
  message?: string
  /** Branch store settings (`branch`, `createBranch`, transport, retries). */
  store?: BranchStoreOptions
}

/** What a state command found or did. */
export interface StateCommandResult {
  command: StateCommand
  path: string
  branch: string
  /** `get`, `set`, `merge`: the document exists now; `delete`: it existed before */
  exists: boolean
  /** the document after the command (`get`: as read, or `defaultValue`; `delete`: `null`) */
  value: unknown
  /** the commit made, `null` when nothing changed */
  commitSha: string | null
  /** HTTP requests spent */
  requests: number
}

/**
 * Runs one state command. Cost: `get` 1 request; `set`/`merge`/`delete` 2 per attempt
 * (see {@link BranchStore.update}).
 *
 * @throws InvalidOptionsError (`value` missing for set/merge, bad path), and whatever
 *   {@link BranchStore} throws.
 */
export async function runStateCommand(
  ctx: RepoContext,
  command: StateCommand,
  options: StateCommandOptions
): Promise<StateCommandResult> {
  const start = ctx.octokit.hubstore.requests
  const store = new BranchStore(ctx, options.store)
  const base = { command, path: options.path, branch: store.branch }
  const done = (r: Omit<StateCommandResult, 'command' | 'path' | 'branch' | 'requests'>) => ({
    ...base,
    ...r,
    requests: ctx.octokit.hubstore.requests - start
  })
  if ((command === 'set' || command === 'merge') && options.value === undefined)
    throw new InvalidOptionsError('value', `a JSON value for ${command}`, undefined)
  const message = options.message ? { message: options.message } : {}
  switch (command) {
    case 'get': {
      const doc = await store.get(options.path)
      return done({
        exists: doc !== undefined,
        value: doc ? doc.value : (options.defaultValue ?? null),
        commitSha: null
      })
    }
    case 'set': {
      const r = await store.set(options.path, options.value, message)
      return done({ exists: true, value: options.value, commitSha: r.commitSha })
    }
    case 'merge': {
      const r = await store.merge(options.path, options.value, message)
      return done({ exists: true, value: r.value, commitSha: r.commitSha })
    }
    case 'delete': {
      const r = await store.delete(options.path, message)
      return done({ exists: r.existed, value: null, commitSha: r.commitSha })
    }
  }
}
