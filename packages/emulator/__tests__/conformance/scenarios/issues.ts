import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

/** Issues (`issues/create`, `list-for-repo`, `get`, `update`). */
export const issues: ScenarioGroup = {
  name: 'issues',
  scenarios: [
    {
      title: 'issues/create: 201 with labels, 422 without a title, 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('issue-create')
        const res = await h.owner.rest.issues.create({
          ...r,
          title: 'first',
          body: 'hello',
          labels: ['bug', { name: 'stored-object' }] as never
        })
        assert.equal(res.status, 201)
        await h.owner.rest.issues.create({ ...r, title: 'no body' })
        await h.fails(
          h.owner.request('POST /repos/{owner}/{repo}/issues', { ...r, body: 'x' } as never),
          422,
          'Invalid request.\n\n"title" wasn\'t supplied.'
        )
        await h.fails(
          h.owner.rest.issues.create({ ...r, repo: `${r.repo}-missing`, title: 't' }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/list-for-repo: 200 filtered by state, labels, since, sort, direction, pages',
      async run(h) {
        const r = await h.newRepo('issue-list')
        for (let i = 0; i < 3; i++)
          await h.owner.rest.issues.create({ ...r, title: `t${i}`, labels: ['a'] })
        await h.owner.rest.issues.create({ ...r, title: 'plain' })
        const all = await h.owner.rest.issues.listForRepo({
          ...r,
          state: 'all',
          labels: 'a',
          since: '2020-01-01T00:00:00Z',
          sort: 'created',
          direction: 'asc',
          per_page: 2,
          page: 1
        })
        assert.equal(all.data.length, 2)
        assert.match(String(all.headers.link), /rel="next"/)
        const pages = await h.owner.paginate(h.owner.rest.issues.listForRepo, { ...r, per_page: 2 })
        assert.equal(pages.length, 4)
        await h.reader.rest.issues.listForRepo({ ...r, state: 'closed' })
        await h.fails(
          h.owner.rest.issues.listForRepo({ ...r, repo: `${r.repo}-missing` }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/get: 200 the issue, 304 on a matching ETag, 404 unknown number',
      async run(h) {
        const r = await h.newRepo('issue-get')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const res = await h.reader.rest.issues.get({ ...r, issue_number: data.number })
        assert.equal(res.data.number, data.number)
        await h.fails(
          h.reader.rest.issues.get({
            ...r,
            issue_number: data.number,
            headers: { 'if-none-match': res.headers.etag }
          }),
          304
        )
        await h.fails(h.owner.rest.issues.get({ ...r, issue_number: 999 }), 404, 'Not Found')
      }
    },
    {
      title: 'issues/update: 200 close as completed, reopen, relabel; 422 too long body',
      async run(h) {
        const r = await h.newRepo('issue-update')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const n = { ...r, issue_number: data.number }
        const closed = await h.owner.rest.issues.update({
          ...n,
          state: 'closed',
          state_reason: 'completed'
        })
        assert.equal(closed.data.state, 'closed')
        assert.ok(closed.data.closed_by)
        const reopened = await h.owner.rest.issues.update({ ...n, state: 'open' })
        assert.equal(reopened.data.state_reason, 'reopened')
        await h.owner.rest.issues.update({ ...n, title: 'renamed', body: 'b', labels: ['x'] })
        await h.fails(
          h.owner.rest.issues.update({ ...n, body: 'x'.repeat(65537) }),
          422,
          'Validation Failed'
        )
        await h.fails(
          h.owner.rest.issues.update({ ...r, issue_number: 999, title: 'x' }),
          404,
          'Not Found'
        )
      }
    }
  ]
}
