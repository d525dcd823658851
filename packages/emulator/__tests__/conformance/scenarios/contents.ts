import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'
import { TOKENS } from '../../support.js'

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** Repository contents over real git (`repos/get-content`, `create-or-update-file-contents`, `delete-file`). */
export const contents: ScenarioGroup = {
  name: 'contents',
  scenarios: [
    {
      title: 'repos/get-content: 200 a file, a directory and the root; 404 a missing path',
      async run(h) {
        const r = await h.newRepo('content-get')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'state/counter v1.json', '{"n":1}')
        const file = await h.reader.rest.repos.getContent({ ...r, path: 'state/counter v1.json' })
        assert.ok(!Array.isArray(file.data) && file.data.type === 'file')
        const dir = await h.reader.rest.repos.getContent({ ...r, path: 'state', ref: 'main' })
        assert.ok(Array.isArray(dir.data))
        const root = await h.reader.rest.repos.getContent({ ...r, path: '' })
        assert.ok(Array.isArray(root.data))
        await h.reader.request('GET /repos/{owner}/{repo}/contents', r)
        // Octokit drops a trailing slash; curl and gh users send `contents/` for the root.
        const slash = await h.fetch('GET', `/repos/${r.owner}/${r.repo}/contents/`, TOKENS.reader)
        assert.equal(slash.status, 200)
        await h.fails(
          h.reader.rest.repos.getContent({ ...r, path: 'missing.json' }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'repos/get-content: object media type for a directory, 304 on a matching ETag',
      async run(h) {
        const r = await h.newRepo('content-object')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'state/a.json', '{"a":1}')
        const obj = await h.reader.rest.repos.getContent({
          ...r,
          path: 'state',
          headers: { accept: 'application/vnd.github.object' }
        })
        assert.ok(Array.isArray((obj.data as { entries?: unknown }).entries))
        const file = await h.reader.rest.repos.getContent({ ...r, path: 'state/a.json' })
        const etag = file.headers.etag
        assert.ok(etag)
        await h.fails(
          h.reader.rest.repos.getContent({
            ...r,
            path: 'state/a.json',
            headers: { 'if-none-match': etag }
          }),
          304
        )
      }
    },
    {
      title:
        'repos/create-or-update-file-contents: 201 create, 200 update, 409 stale sha, 422 no sha, 404 unknown branch',
      async run(h) {
        const r = await h.newRepo('content-put')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'README.md', '# readme\n')
        const created = await h.writer.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'state/counter.json',
          message: 'create',
          content: b64('{"n":1}\n')
        })
        assert.equal(created.status, 201)
        const sha = created.data.content?.sha
        assert.ok(sha)
        const updated = await h.writer.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'state/counter.json',
          message: 'update',
          content: b64('{"n":2}\n'),
          sha,
          branch: 'main',
          committer: { name: 'Octo Cat', email: 'octo@example.com' },
          author: { name: 'Octo Cat', email: 'octo@example.com', date: '2025-01-01T00:00:00Z' }
        })
        assert.equal(updated.status, 200)
        await h.fails(
          h.writer.rest.repos.createOrUpdateFileContents({
            ...r,
            path: 'state/counter.json',
            message: 'stale',
            content: b64('{"n":3}\n'),
            sha
          }),
          409,
          `state/counter.json does not match ${sha}`
        )
        await h.fails(
          h.writer.rest.repos.createOrUpdateFileContents({
            ...r,
            path: 'state/counter.json',
            message: 'no sha',
            content: b64('{"n":3}\n')
          }),
          422,
          'Invalid request.\n\n"sha" wasn\'t supplied.'
        )
        await h.fails(
          h.writer.rest.repos.createOrUpdateFileContents({
            ...r,
            path: 'x.json',
            message: 'm',
            content: b64('x'),
            branch: 'no-such-branch'
          }),
          404
        )
      }
    },
    {
      title: 'repos/delete-file: 200 deleted, 409 stale sha, 404 missing file',
      async run(h) {
        const r = await h.newRepo('content-delete')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'a.json', '{"a":1}\n')
        const first = await h.reader.rest.repos.getContent({ ...r, path: 'a.json' })
        const sha = (first.data as { sha: string }).sha
        const changed = await h.writer.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'a.json',
          message: 'change',
          content: b64('{"a":2}\n'),
          sha
        })
        await h.fails(
          h.writer.rest.repos.deleteFile({ ...r, path: 'a.json', message: 'stale', sha }),
          409,
          `a.json does not match ${sha}`
        )
        const deleted = await h.writer.rest.repos.deleteFile({
          ...r,
          path: 'a.json',
          message: 'delete',
          sha: changed.data.content!.sha!,
          branch: 'main'
        })
        assert.equal(deleted.status, 200)
        assert.equal(deleted.data.content, null)
        await h.fails(
          h.writer.rest.repos.deleteFile({ ...r, path: 'a.json', message: 'again', sha }),
          404
        )
      }
    }
  ]
}
