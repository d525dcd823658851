/**
 * Issue 10 item 5: one path check for every repository path hubstore writes or reads
 * (core's `repositoryPath`), and an emulator that builds no tree git cannot check out
 * (docs/github-behaviour.md §1.3). Every refusal is asserted on what is read back afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { InvalidPathError } from '../../src/errors.js'
import { repositoryPath } from '../../src/github/path.js'
import { BranchStore } from '../../src/branch-store/branch-store.js'
import { repositoryFile, workspaceFile } from '../../src/snapshot/location.js'
import { incrementSequence } from '../../src/sequence/store.js'
import type { RepoContext } from '../../src/github/context.js'
import { freshRepo, startWorld } from '../support/emulator.js'

/** The paths of the issue, and the other shapes the rule names. */
const BAD = [
  '../../x.json',
  '.git/config',
  'a/.git/x.json',
  'a//b.json',
  '.git/hooks/pre-commit',
  'a/.GIT/x.json',
  './x.json',
  'a/./x.json',
  '/abs.json',
  'dir/',
  '',
  'a\u0000b.json',
  'a\nb.json'
]

let emulator: Emulator
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
})

/** Every path of the default branch's tree, read back through the git-data API. */
async function treePaths(ctx: RepoContext): Promise<string[]> {
  const { data: repo } = await ctx.octokit.rest.repos.get({ owner: ctx.owner, repo: ctx.repo })
  const { data } = await ctx.octokit.rest.git.getTree({
    owner: ctx.owner,
    repo: ctx.repo,
    tree_sha: repo.default_branch,
    recursive: 'true'
  })
  return data.tree.map((e) => e.path ?? '').sort()
}

describe('repositoryPath', () => {
  it.each(BAD)('refuses %j naming the input and the value', (path) => {
    let thrown: unknown
    try {
      repositoryPath('path', path)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InvalidPathError)
    expect(thrown).toMatchObject({ code: 'INVALID_PATH', input: 'path', path })
    expect((thrown as Error).message).toMatch(/^path ".*" is not a safe repository path: it /)
  })

  it('accepts ordinary paths, dot files and a prefix with a trailing slash', () => {
    for (const p of ['sequence_data.json', 'a/b/c.json', '.github/x.yml', 'a.git/x', 'x..y'])
      expect(repositoryPath('path', p)).toBe(p)
    expect(repositoryPath('prefix', 'state/', { prefix: true })).toBe('state')
  })
})

describe('every capability refuses them before any request', () => {
  it.each(BAD)(
    '%j: sequence, state document, snapshot in the repository and the workspace',
    async (path) => {
      const world = await freshRepo(emulator)
      const ctx = world.as('octocat')
      await expect(
        Promise.resolve().then(() => incrementSequence(ctx, { name: 'n', path }))
      ).rejects.toMatchObject({
        code: 'INVALID_PATH',
        input: 'path'
      })
      await expect(new BranchStore(ctx).set(path, 1)).rejects.toMatchObject({
        code: 'INVALID_PATH'
      })
      expect(() => repositoryFile(ctx, { path })).toThrow(
        expect.objectContaining({ code: 'INVALID_PATH' })
      )
      expect(() => workspaceFile(path, { root: '/tmp' })).toThrow(
        expect.objectContaining({ code: 'INVALID_PATH' })
      )
      expect(ctx.octokit.hubstore.requests).toBe(0)
    }
  )
})

describe('the emulator creates no such tree entry', () => {
  it('contents PUT and DELETE, git create-tree, createCommitOnBranch and the admin write refuse each', async () => {
    const world = await freshRepo(emulator)
    const ctx = world.as('octocat')
    const { owner, repo, octokit } = ctx
    await emulator.admin.putFile(`${owner}/${repo}`, 'ok.json', '1')
    const before = await treePaths(ctx)
    const { data: head } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })
    for (const path of BAD.filter((p) => p !== '' && !p.startsWith('/') && !p.endsWith('/'))) {
      const put = await octokit.rest.repos
        .createOrUpdateFileContents({
          owner,
          repo,
          path,
          message: 'x',
          content: Buffer.from('{}').toString('base64')
        })
        .then(
          () => 201,
          (e: { status: number }) => e.status
        )
      expect({ path, put }).toEqual({ path, put: expect.any(Number) })
      expect({ path, refused: put >= 400 }).toEqual({ path, refused: true })

      const tree = await octokit.rest.git
        .createTree({ owner, repo, tree: [{ path, mode: '100644', type: 'blob', content: 'x' }] })
        .then(
          () => 201,
          (e: { status: number; response?: { data?: { message?: string } } }) =>
            `${e.status} ${e.response?.data?.message}`
        )
      expect({ path, tree }).toEqual({
        path,
        tree: '422 tree.path contains a malformed path component'
      })

      const graphql = await octokit
        .graphql(
          `mutation ($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }`,
          {
            input: {
              branch: { repositoryNameWithOwner: `${owner}/${repo}`, branchName: 'main' },
              expectedHeadOid: head.object.sha,
              message: { headline: 'x' },
              fileChanges: { additions: [{ path, contents: 'eA==' }] }
            }
          }
        )
        .then(
          () => 'committed',
          (e: { errors?: { type?: string; message: string }[] }) => e.errors?.[0]?.type
        )
      expect({ path, graphql }).toEqual({ path, graphql: 'UNPROCESSABLE' })

      await expect(emulator.admin.putFile(`${owner}/${repo}`, path, 'x')).rejects.toThrow(
        /path must name a file/
      )
    }
    const del = await octokit.rest.repos
      .deleteFile({ owner, repo, path: 'a//ok.json', message: 'x', sha: 'a'.repeat(40) })
      .then(
        () => 200,
        (e: { status: number }) => e.status
      )
    expect(del).toBe(422)
    expect(await treePaths(ctx)).toEqual(before)
  })
})

describe('prototype-member names as document paths (issue 10 item 6)', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    '%j is set, merged, read back and deleted like any other document',
    async (path) => {
      const world = await freshRepo(emulator)
      const store = new BranchStore(world.as('octocat'), { createBranch: 'orphan' })
      expect(await store.get(path)).toBeUndefined()
      await store.set(path, { n: 1 })
      await store.merge(path, { m: 2 })
      expect((await store.get(path))?.value).toEqual({ n: 1, m: 2 })
      expect([...(await store.getMany([path, 'other.json'])).keys()]).toEqual([path])
      await store.delete(path)
      expect(await store.get(path)).toBeUndefined()
    }
  )
})
