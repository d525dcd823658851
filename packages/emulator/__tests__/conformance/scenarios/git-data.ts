import { strict as assert } from 'node:assert'
import type { Harness, ScenarioGroup } from '../harness.js'

/** A repository with one file on `main`; returns the head commit SHA too. */
async function seeded(h: Harness, prefix: string) {
  const r = await h.newRepo(prefix)
  await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'state.json', '{"n":1}\n')
  const ref = await h.reader.rest.git.getRef({ ...r, ref: 'heads/main' })
  return { r, head: ref.data.object.sha }
}

/** A new commit on top of `parent` that writes `state.json`; returns its SHA. */
async function commitOn(h: Harness, r: { owner: string; repo: string }, parent: string, n: number) {
  const base = await h.reader.rest.git.getCommit({ ...r, commit_sha: parent })
  const tree = await h.writer.rest.git.createTree({
    ...r,
    base_tree: base.data.tree.sha,
    tree: [{ path: 'state.json', mode: '100644', type: 'blob', content: `{"n":${n}}\n` }]
  })
  const commit = await h.writer.rest.git.createCommit({
    ...r,
    message: `n=${n}`,
    tree: tree.data.sha,
    parents: [parent]
  })
  return commit.data.sha
}

/** The git data API (`git/*`). */
export const gitData: ScenarioGroup = {
  name: 'git data',
  scenarios: [
    {
      title:
        'git/create-ref, git/update-ref: a ref outside refs/heads on an empty-tree commit (the object lease) — 201, 422 exists, fast forward, 422 not a fast forward, no branch',
      async run(h) {
        const { r } = await seeded(h, 'git-ref-lease')
        const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
        const lease = (message: string, parents: string[]) =>
          h.writer.rest.git.createCommit({ ...r, message, tree: emptyTree, parents })
        const first = await lease('held by a', [])
        assert.equal(first.status, 201)
        assert.equal(first.data.tree.sha, emptyTree)
        const ref = 'refs/hubstore/leases/issues/1'
        const created = await h.writer.rest.git.createRef({ ...r, ref, sha: first.data.sha })
        assert.equal(created.status, 201)
        assert.equal(created.data.ref, ref)
        await h.fails(
          h.writer.rest.git.createRef({ ...r, ref, sha: first.data.sha }),
          422,
          'Reference already exists'
        )
        const released = await lease('released by a', [first.data.sha])
        const takeover = await lease('held by c', [first.data.sha])
        const moved = await h.writer.rest.git.updateRef({
          ...r,
          ref: 'hubstore/leases/issues/1',
          sha: released.data.sha,
          force: false
        })
        assert.equal(moved.data.object.sha, released.data.sha)
        await h.fails(
          h.writer.rest.git.updateRef({
            ...r,
            ref: 'hubstore/leases/issues/1',
            sha: takeover.data.sha,
            force: false
          }),
          422,
          'Update is not a fast forward'
        )
        const read = await h.reader.rest.git.getRef({ ...r, ref: 'hubstore/leases/issues/1' })
        assert.equal(read.data.object.sha, released.data.sha)
        const branches = await h.reader.rest.repos.listBranches({ ...r })
        assert.deepEqual(
          branches.data.map((b) => b.name),
          ['main']
        )
      }
    },
    {
      title: 'git/create-blob: 201 utf-8 and base64, 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('git-blob-create')
        const utf8 = await h.writer.rest.git.createBlob({ ...r, content: 'hello\n' })
        assert.equal(utf8.data.sha, 'ce013625030ba8dba906f756967f9e9ca394464a')
        await h.writer.rest.git.createBlob({
          ...r,
          content: Buffer.from('hello\n').toString('base64'),
          encoding: 'base64'
        })
        await h.fails(
          h.writer.rest.git.createBlob({ ...r, repo: `${r.repo}-missing`, content: 'x' }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'git/get-blob: 200 base64 content, 404 unknown sha',
      async run(h) {
        const r = await h.newRepo('git-blob-get')
        const { data } = await h.writer.rest.git.createBlob({ ...r, content: 'hello\n' })
        const blob = await h.reader.rest.git.getBlob({ ...r, file_sha: data.sha })
        assert.equal(Buffer.from(blob.data.content, 'base64').toString(), 'hello\n')
        await h.fails(
          h.reader.rest.git.getBlob({ ...r, file_sha: '0'.repeat(40) }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'git/create-tree: 201 with base_tree, content and sha entries',
      async run(h) {
        const { r, head } = await seeded(h, 'git-tree-create')
        const base = await h.reader.rest.git.getCommit({ ...r, commit_sha: head })
        const blob = await h.writer.rest.git.createBlob({ ...r, content: 'b\n' })
        const res = await h.writer.rest.git.createTree({
          ...r,
          base_tree: base.data.tree.sha,
          tree: [
            { path: 'dir/a.txt', mode: '100644', type: 'blob', content: 'a\n' },
            { path: 'b.txt', mode: '100644', type: 'blob', sha: blob.data.sha }
          ]
        })
        assert.equal(res.status, 201)
        assert.ok(res.data.tree.some((e) => e.path === 'state.json'))
      }
    },
    {
      title: 'git/get-tree: 200 flat and recursive, 404 unknown sha',
      async run(h) {
        const { r, head } = await seeded(h, 'git-tree-get')
        const base = await h.reader.rest.git.getCommit({ ...r, commit_sha: head })
        const tree = await h.writer.rest.git.createTree({
          ...r,
          base_tree: base.data.tree.sha,
          tree: [{ path: 'dir/a.txt', mode: '100644', type: 'blob', content: 'a\n' }]
        })
        const flat = await h.reader.rest.git.getTree({ ...r, tree_sha: tree.data.sha })
        const deep = await h.reader.rest.git.getTree({
          ...r,
          tree_sha: tree.data.sha,
          recursive: 'true'
        })
        assert.ok(deep.data.tree.length > flat.data.tree.length)
        await h.fails(
          h.reader.rest.git.getTree({ ...r, tree_sha: '0'.repeat(40) }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'git/create-commit: 201 with parents, author and committer',
      async run(h) {
        const { r, head } = await seeded(h, 'git-commit-create')
        const base = await h.reader.rest.git.getCommit({ ...r, commit_sha: head })
        const res = await h.writer.rest.git.createCommit({
          ...r,
          message: 'by hand',
          tree: base.data.tree.sha,
          parents: [head],
          author: { name: 'Octo Cat', email: 'octo@example.com', date: '2025-01-01T00:00:00Z' },
          committer: { name: 'Octo Cat', email: 'octo@example.com' }
        })
        assert.equal(res.status, 201)
        assert.equal(res.data.parents[0].sha, head)
      }
    },
    {
      title: 'git/get-commit: 200, 404 unknown sha',
      async run(h) {
        const { r, head } = await seeded(h, 'git-commit-get')
        const res = await h.reader.rest.git.getCommit({ ...r, commit_sha: head })
        assert.equal(res.data.sha, head)
        await h.fails(
          h.reader.rest.git.getCommit({ ...r, commit_sha: '0'.repeat(40) }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'git/get-ref: 200 a branch, 404 a missing ref',
      async run(h) {
        const { r } = await seeded(h, 'git-ref-get')
        const res = await h.reader.rest.git.getRef({ ...r, ref: 'heads/main' })
        assert.equal(res.data.ref, 'refs/heads/main')
        await h.fails(h.reader.rest.git.getRef({ ...r, ref: 'heads/nope' }), 404, 'Not Found')
      }
    },
    {
      title: 'git/list-matching-refs: 200 matching and empty',
      async run(h) {
        const { r, head } = await seeded(h, 'git-ref-match')
        await h.writer.rest.git.createRef({ ...r, ref: 'refs/heads/state', sha: head })
        const res = await h.reader.rest.git.listMatchingRefs({ ...r, ref: 'heads/' })
        assert.equal(res.data.length, 2)
        const none = await h.reader.rest.git.listMatchingRefs({ ...r, ref: 'tags/v' })
        assert.equal(none.data.length, 0)
      }
    },
    {
      title: 'git/create-ref: 201, 422 already exists, 422 unknown object',
      async run(h) {
        const { r, head } = await seeded(h, 'git-ref-create')
        const res = await h.writer.rest.git.createRef({ ...r, ref: 'refs/heads/state', sha: head })
        assert.equal(res.status, 201)
        await h.fails(
          h.writer.rest.git.createRef({ ...r, ref: 'refs/heads/state', sha: head }),
          422,
          'Reference already exists'
        )
        await h.fails(
          h.writer.rest.git.createRef({ ...r, ref: 'refs/heads/other', sha: '1'.repeat(40) }),
          422,
          'Object does not exist'
        )
      }
    },
    {
      title: 'git/update-ref: 200 fast-forward, 422 not a fast forward, 200 forced',
      async run(h) {
        const { r, head } = await seeded(h, 'git-ref-update')
        const next = await commitOn(h, r, head, 2)
        const ff = await h.writer.rest.git.updateRef({ ...r, ref: 'heads/main', sha: next })
        assert.equal(ff.data.object.sha, next)
        const side = await commitOn(h, r, head, 3)
        await h.fails(
          h.writer.rest.git.updateRef({ ...r, ref: 'heads/main', sha: side }),
          422,
          'Update is not a fast forward'
        )
        const forced = await h.writer.rest.git.updateRef({
          ...r,
          ref: 'heads/main',
          sha: side,
          force: true
        })
        assert.equal(forced.data.object.sha, side)
      }
    },
    {
      title: 'git/delete-ref: 204, 422 reference does not exist',
      async run(h) {
        const { r, head } = await seeded(h, 'git-ref-delete')
        await h.writer.rest.git.createRef({ ...r, ref: 'refs/heads/gone', sha: head })
        const res = await h.writer.rest.git.deleteRef({ ...r, ref: 'heads/gone' })
        assert.equal(res.status, 204)
        await h.fails(
          h.writer.rest.git.deleteRef({ ...r, ref: 'heads/gone' }),
          422,
          'Reference does not exist'
        )
      }
    }
  ]
}
