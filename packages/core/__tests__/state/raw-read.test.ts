/**
 * `BranchGit.readRaw` (through `rawText`, src/github/contents.ts) asks for a file's raw bytes
 * with `parseSuccessResponseBody: false`, so Octokit hands over the body stream of fetch's
 * `Response` and drops the `Response` itself. undici cancels the body stream of a `Response`
 * that is garbage collected unread (https://github.com/nodejs/undici/pull/3199); a collection
 * between the answer and the read then failed the read with "Response body object should not be
 * disturbed or locked" (seen as a rare failure of the persist-data post step, whose index read is
 * such a read). Here a full collection runs in that gap, in every read, and the text must still
 * arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { BranchGit } from '../../src/branch-store/git.js'
import { freshRepo, startWorld } from '../support/emulator.js'

// `gc` as `node --expose-gc` gives it: the flag set now shows in contexts created after it
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => emulator.close())

describe('BranchGit.readRaw', () => {
  it('reads the text when a garbage collection runs between the answer and the read', async () => {
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const text = `${JSON.stringify({ note: 'ü', n: Array.from({ length: 2000 }, (_, i) => i) })}\n`
    const git = new BranchGit(ctx, 'data', 'rest', 'git-data')
    const made = await git.createOrphan([{ path: 'index.json', content: Buffer.from(text) }], 'one')
    expect(made.kind).toBe('committed')
    const head = await git.readHead()
    let collections = 0
    ctx.octokit.hook.after('request', async () => {
      gc()
      // the registry's cleanup runs in a task of its own after the collection
      await new Promise((resolve) => setTimeout(resolve, 0))
      collections += 1
    })
    for (let i = 0; i < 5; i++) expect(await git.readRaw('index.json', head!.commitSha)).toBe(text)
    expect(collections).toBe(5)
  })
})
