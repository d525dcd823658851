import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

/** Issue comments. */
export const comments: ScenarioGroup = {
  name: 'comments',
  scenarios: [
    {
      title: 'issues/create-comment: 201, 422 body too long, 404 unknown issue',
      async run(h) {
        const r = await h.newRepo('comment-create')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const res = await h.writer.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'hi'
        })
        assert.equal(res.status, 201)
        await h.fails(
          h.owner.rest.issues.createComment({
            ...r,
            issue_number: data.number,
            body: 'x'.repeat(65537)
          }),
          422,
          'Validation Failed'
        )
        await h.fails(
          h.owner.rest.issues.createComment({ ...r, issue_number: 999, body: 'x' }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/list-comments: 200 paginated with since, 404 unknown issue',
      async run(h) {
        const r = await h.newRepo('comment-list')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        for (const body of ['a', 'b', 'c'])
          await h.owner.rest.issues.createComment({ ...r, issue_number: data.number, body })
        const res = await h.reader.rest.issues.listComments({
          ...r,
          issue_number: data.number,
          since: '2020-01-01T00:00:00Z',
          per_page: 2
        })
        assert.equal(res.data.length, 2)
        await h.fails(
          h.owner.rest.issues.listComments({ ...r, issue_number: 999 }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/list-comments-for-repo: 200 sorted, 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('comment-list-repo')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        await h.owner.rest.issues.createComment({ ...r, issue_number: data.number, body: 'a' })
        const res = await h.owner.rest.issues.listCommentsForRepo({
          ...r,
          sort: 'created',
          direction: 'desc',
          since: '2020-01-01T00:00:00Z',
          per_page: 10
        })
        assert.equal(res.data.length, 1)
        await h.fails(
          h.owner.rest.issues.listCommentsForRepo({ ...r, repo: `${r.repo}-missing` }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/get-comment: 200, 404 unknown id',
      async run(h) {
        const r = await h.newRepo('comment-get')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const res = await h.reader.rest.issues.getComment({ ...r, comment_id: c.data.id })
        assert.equal(res.data.body, 'a')
        await h.fails(
          h.owner.rest.issues.getComment({ ...r, comment_id: 999999 }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/update-comment: 200, 422 body too long',
      async run(h) {
        const r = await h.newRepo('comment-update')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const res = await h.owner.rest.issues.updateComment({
          ...r,
          comment_id: c.data.id,
          body: 'b'
        })
        assert.equal(res.data.body, 'b')
        await h.fails(
          h.owner.rest.issues.updateComment({
            ...r,
            comment_id: c.data.id,
            body: 'x'.repeat(65537)
          }),
          422,
          'Validation Failed'
        )
      }
    },
    {
      title: 'issues/delete-comment: 204',
      async run(h) {
        const r = await h.newRepo('comment-delete')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const res = await h.owner.rest.issues.deleteComment({ ...r, comment_id: c.data.id })
        assert.equal(res.status, 204)
      }
    }
  ]
}
