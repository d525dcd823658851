import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** Commits and branches (`repos/list-commits`, `get-commit`, `list-branches`, `get-branch`). */
export const commits: ScenarioGroup = {
  name: 'commits and branches',
  scenarios: [
    {
      title: 'repos/list-commits: 200 by sha and path, paginated; 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('commits-list')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'a.json', '1')
        const first = await h.reader.rest.repos.getContent({ ...r, path: 'a.json' })
        await h.writer.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'a.json',
          message: 'two',
          content: b64('2'),
          sha: (first.data as { sha: string }).sha
        })
        const res = await h.reader.rest.repos.listCommits({
          ...r,
          sha: 'main',
          path: 'a.json',
          per_page: 1
        })
        assert.equal(res.data.length, 1)
        const all = await h.reader.paginate(h.reader.rest.repos.listCommits, { ...r, per_page: 1 })
        assert.ok(all.length >= 2)
        await h.fails(
          h.reader.rest.repos.listCommits({ ...r, repo: `${r.repo}-missing` }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'repos/get-commit: 200 by sha and by branch with files and stats, 422 unknown ref',
      async run(h) {
        const r = await h.newRepo('commits-get')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'a.json', '1')
        const byBranch = await h.reader.rest.repos.getCommit({ ...r, ref: 'main' })
        const bySha = await h.reader.rest.repos.getCommit({ ...r, ref: byBranch.data.sha })
        assert.equal(bySha.data.sha, byBranch.data.sha)
        // A commit by a known user: `author` / `committer` are `simple-user` objects.
        const first = await h.reader.rest.repos.getContent({ ...r, path: 'a.json' })
        const put = await h.writer.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'a.json',
          message: 'by writer',
          content: Buffer.from('2').toString('base64'),
          sha: (first.data as { sha: string }).sha
        })
        await h.reader.rest.repos.getCommit({ ...r, ref: put.data.commit.sha! })
        await h.fails(h.reader.rest.repos.getCommit({ ...r, ref: 'no-such-ref' }), 422)
      }
    },
    {
      title: 'repos/list-branches: 200 all and protected only; 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('branches-list')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'a.json', '1')
        const head = await h.reader.rest.git.getRef({ ...r, ref: 'heads/main' })
        await h.writer.rest.git.createRef({
          ...r,
          ref: 'refs/heads/state',
          sha: head.data.object.sha
        })
        const res = await h.reader.rest.repos.listBranches({ ...r, per_page: 10 })
        assert.deepEqual(res.data.map((b) => b.name).sort(), ['main', 'state'])
        await h.reader.rest.repos.listBranches({ ...r, protected: true })
        await h.fails(
          h.reader.rest.repos.listBranches({ ...r, repo: `${r.repo}-missing` }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'repos/get-branch: 200, 404 branch not found',
      async run(h) {
        const r = await h.newRepo('branches-get')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'a.json', '1')
        const res = await h.reader.rest.repos.getBranch({ ...r, branch: 'main' })
        assert.equal(res.data.name, 'main')
        await h.fails(
          h.reader.rest.repos.getBranch({ ...r, branch: 'nope' }),
          404,
          'Branch not found'
        )
      }
    }
  ]
}
