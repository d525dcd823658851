import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { b64, git, hashObject } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

describe('git data API', () => {
  test('git/*: blob → tree → commit → PATCH ref: fast-forward ok, non-fast-forward 422, force ok', async () => {
    const r = await newRepo(emulator, 'gd-flow')
    const head = (await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })).data
    expect(head).toMatchObject({
      ref: 'refs/heads/main',
      object: { type: 'commit' },
      url: `${emulator.url}/repos/${OWNER}/${r.repo}/git/refs/heads/main`
    })
    const base = (await octokit.rest.git.getCommit({ ...r, commit_sha: head.object.sha })).data
    expect(base.message).toBe('Initial commit')

    const blob = await octokit.rest.git.createBlob({ ...r, content: 'hello\n' })
    expect(blob.status).toBe(201)
    expect(blob.data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
    const blob64 = await octokit.rest.git.createBlob({
      ...r,
      content: b64('bin\0'),
      encoding: 'base64'
    })
    expect(blob64.data.sha).toBe(hashObject(Buffer.from('bin\0')))
    const got = (await octokit.rest.git.getBlob({ ...r, file_sha: blob.data.sha })).data
    expect(got).toMatchObject({ encoding: 'base64', size: 6, sha: blob.data.sha })
    expect(Buffer.from(got.content, 'base64').toString()).toBe('hello\n')

    const tree = await octokit.rest.git.createTree({
      ...r,
      base_tree: base.tree.sha,
      tree: [
        { path: 'state/a.txt', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'state/deep/b.txt', mode: '100644', type: 'blob', content: 'inline\n' },
        { path: 'run.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\n' }
      ]
    })
    expect(tree.status).toBe(201)
    expect(tree.data.tree.map((e) => [e.path, e.mode, e.type])).toEqual([
      ['README.md', '100644', 'blob'],
      ['run.sh', '100755', 'blob'],
      ['state', '040000', 'tree']
    ])
    const recursive = (
      await octokit.rest.git.getTree({ ...r, tree_sha: tree.data.sha, recursive: 'true' })
    ).data
    expect(recursive.truncated).toBe(false)
    expect(recursive.tree.map((e) => e.path)).toEqual([
      'README.md',
      'run.sh',
      'state',
      'state/a.txt',
      'state/deep',
      'state/deep/b.txt'
    ])
    expect(recursive.tree.find((e) => e.path === 'state/deep/b.txt')?.size).toBe(7)

    const commit = await octokit.rest.git.createCommit({
      ...r,
      message: 'three files',
      tree: tree.data.sha,
      parents: [head.object.sha],
      author: { name: 'Ann', email: 'ann@example.com', date: '2024-01-02T03:04:05Z' }
    })
    expect(commit.status).toBe(201)
    expect(commit.data.author).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
      date: '2024-01-02T03:04:05Z'
    })
    expect(commit.data.committer).toEqual(commit.data.author)
    expect(commit.data.parents.map((p) => p.sha)).toEqual([head.object.sha])

    const { path } = await emulator.admin.gitRepo(`${OWNER}/${r.repo}`)
    expect(git(['--git-dir', path, 'cat-file', '-t', commit.data.sha]).trim()).toBe('commit')
    expect(git(['--git-dir', path, 'rev-parse', `${commit.data.sha}^{tree}`]).trim()).toBe(
      tree.data.sha
    )

    const ff = await octokit.rest.git.updateRef({ ...r, ref: 'heads/main', sha: commit.data.sha })
    expect(ff.data.object.sha).toBe(commit.data.sha)

    // a sibling commit on the old head is not a fast forward
    const sibling = await octokit.rest.git.createCommit({
      ...r,
      message: 'sibling',
      tree: base.tree.sha,
      parents: [head.object.sha]
    })
    const e = await failure(
      octokit.rest.git.updateRef({ ...r, ref: 'heads/main', sha: sibling.data.sha })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Update is not a fast forward')
    const forced = await octokit.rest.git.updateRef({
      ...r,
      ref: 'heads/main',
      sha: sibling.data.sha,
      force: true
    })
    expect(forced.data.object.sha).toBe(sibling.data.sha)
    expect(git(['--git-dir', path, 'rev-parse', 'main']).trim()).toBe(sibling.data.sha)
    expect(git(['--git-dir', path, 'fsck', '--strict', '--no-dangling'])).toBe('')
  })

  test('git/create-ref: 201; 422 Reference already exists; 422 Object does not exist; invalid name', async () => {
    const r = await newRepo(emulator, 'gd-refs')
    const head = (await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })).data.object.sha
    const created = await octokit.rest.git.createRef({ ...r, ref: 'refs/heads/state', sha: head })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({
      ref: 'refs/heads/state',
      object: { sha: head, type: 'commit' }
    })
    const dup = await failure(
      octokit.rest.git.createRef({ ...r, ref: 'refs/heads/state', sha: head })
    )
    expect(dup.status).toBe(422)
    expect(dup.response.data.message).toBe('Reference already exists')
    const missing = await failure(
      octokit.rest.git.createRef({ ...r, ref: 'refs/heads/other', sha: 'a'.repeat(40) })
    )
    expect(missing.status).toBe(422)
    expect(missing.response.data.message).toBe('Object does not exist')
    const bad = await failure(octokit.rest.git.createRef({ ...r, ref: 'heads/x', sha: head }))
    expect(bad.status).toBe(422)
    expect(bad.response.data.message).toBe('Reference name is invalid')
  })

  test('git/get-ref, list-matching-refs, update-ref, delete-ref: 404, prefixes, 422 Reference does not exist, 204', async () => {
    const r = await newRepo(emulator, 'gd-refs2')
    const head = (await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })).data.object.sha
    for (const name of ['feature/a', 'feature/b', 'fix'])
      await octokit.rest.git.createRef({ ...r, ref: `refs/heads/${name}`, sha: head })
    const e404 = await failure(octokit.rest.git.getRef({ ...r, ref: 'heads/feature' }))
    expect(e404.status).toBe(404)
    expect(e404.response.data.message).toBe('Not Found')
    const slashed = await octokit.request(`GET /repos/${OWNER}/${r.repo}/git/ref/heads/feature/a`)
    expect((slashed.data as { ref: string }).ref).toBe('refs/heads/feature/a')
    const matching = (await octokit.rest.git.listMatchingRefs({ ...r, ref: 'heads/feature' })).data
    expect(matching.map((m) => m.ref)).toEqual(['refs/heads/feature/a', 'refs/heads/feature/b'])
    const none = (await octokit.rest.git.listMatchingRefs({ ...r, ref: 'tags/' })).data
    expect(none).toEqual([])

    const e1 = await failure(octokit.rest.git.updateRef({ ...r, ref: 'heads/nope', sha: head }))
    expect(e1.status).toBe(422)
    expect(e1.response.data.message).toBe('Reference does not exist')
    const e2 = await failure(
      octokit.rest.git.updateRef({ ...r, ref: 'heads/fix', sha: 'b'.repeat(40), force: true })
    )
    expect(e2.status).toBe(422)
    expect(e2.response.data.message).toBe('Object does not exist')

    const del = await octokit.rest.git.deleteRef({ ...r, ref: 'heads/feature/a' })
    expect(del.status).toBe(204)
    const e3 = await failure(octokit.rest.git.deleteRef({ ...r, ref: 'heads/feature/a' }))
    expect(e3.status).toBe(422)
    expect(e3.response.data.message).toBe('Reference does not exist')
    const e4 = await failure(octokit.rest.git.deleteRef({ ...r, ref: 'heads/main' }))
    expect(e4.status).toBe(422)
    const history = await emulator.admin.refHistory(`${OWNER}/${r.repo}`, 'refs/heads/feature/a')
    expect(history.map((h) => h.sha)).toEqual([head, null])
  })

  test('git/*: an empty repository answers 409 Git Repository is empty.', async () => {
    const name = `gd-empty-${process.pid}`
    await emulator.admin.createRepo({ full_name: `${OWNER}/${name}`, auto_init: false })
    const r = { owner: OWNER, repo: name }
    const calls = [
      octokit.rest.git.getRef({ ...r, ref: 'heads/main' }),
      octokit.rest.git.createBlob({ ...r, content: 'x' }),
      octokit.rest.git.createRef({ ...r, ref: 'refs/heads/x', sha: 'a'.repeat(40) }),
      octokit.rest.repos.listCommits(r)
    ]
    for (const call of calls) {
      const e = await failure(call)
      expect(e.status).toBe(409)
      expect(e.response.data.message).toBe('Git Repository is empty.')
    }
    expect((await octokit.rest.repos.listBranches(r)).data).toEqual([])
  })

  test('git/create-tree: malformed paths, sha and content together, unknown blobs, deleting a missing path answer 422', async () => {
    const r = await newRepo(emulator, 'gd-tree-errors')
    const base = (await octokit.rest.repos.getBranch({ ...r, branch: 'main' })).data.commit.commit
      .tree.sha
    const cases: Array<[unknown[], string]> = [
      [
        [{ path: 'a//b', mode: '100644', type: 'blob', content: 'x' }],
        'tree.path contains a malformed path component'
      ],
      [
        [{ path: '.git/config', mode: '100644', type: 'blob', content: 'x' }],
        'tree.path contains a malformed path component'
      ],
      [
        [{ path: 'a', mode: '100644', type: 'blob', content: 'x', sha: 'c'.repeat(40) }],
        'Must supply either tree.sha or tree.content. Request will be rejected if both are present.'
      ],
      [
        [{ path: 'a', mode: '100644', type: 'blob', sha: 'c'.repeat(40) }],
        `tree.sha ${'c'.repeat(40)} is not a valid blob`
      ]
    ]
    for (const [tree, message] of cases) {
      const e = await failure(
        octokit.request(`POST /repos/${OWNER}/${r.repo}/git/trees`, { base_tree: base, tree })
      )
      expect(e.status).toBe(422)
      expect(e.response.data.message).toBe(message)
    }
    const del = await failure(
      octokit.rest.git.createTree({
        ...r,
        base_tree: base,
        tree: [{ path: 'missing.txt', mode: '100644', type: 'blob', sha: null }]
      })
    )
    expect(del.status).toBe(422)
    const ok = await octokit.rest.git.createTree({
      ...r,
      base_tree: base,
      tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: null }]
    })
    expect(ok.data.tree).toEqual([])
    expect(ok.data.sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904')
    const e = await failure(
      octokit.rest.git.createCommit({ ...r, message: 'm', tree: 'd'.repeat(40), parents: [] })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Tree SHA does not exist')
    const e2 = await failure(
      octokit.rest.git.createCommit({ ...r, message: 'm', tree: base, parents: [base] })
    )
    expect(e2.status).toBe(422)
    expect(e2.response.data.message).toBe('Parent SHA does not exist or is not a commit object')
    const root = await octokit.rest.git.createCommit({
      ...r,
      message: 'root',
      tree: base,
      parents: []
    })
    expect(root.data.parents).toEqual([])
  })
})
