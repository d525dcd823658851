import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

/** Reactions on issues and on issue comments. */
export const reactions: ScenarioGroup = {
  name: 'reactions',
  scenarios: [
    {
      title: 'reactions/create-for-issue: 201 new, 200 existing, 422 unknown content',
      async run(h) {
        const r = await h.newRepo('react-issue')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const n = { ...r, issue_number: data.number }
        const first = await h.writer.rest.reactions.createForIssue({ ...n, content: '+1' })
        assert.equal(first.status, 201)
        const again = await h.writer.rest.reactions.createForIssue({ ...n, content: '+1' })
        assert.equal(again.status, 200)
        await h.fails(
          h.writer.rest.reactions.createForIssue({ ...n, content: 'nope' as never }),
          422,
          'Validation Failed'
        )
      }
    },
    {
      title: 'reactions/list-for-issue: 200 filtered by content, 404 unknown issue',
      async run(h) {
        const r = await h.newRepo('react-issue-list')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const n = { ...r, issue_number: data.number }
        await h.owner.rest.reactions.createForIssue({ ...n, content: 'heart' })
        await h.writer.rest.reactions.createForIssue({ ...n, content: 'rocket' })
        const res = await h.reader.rest.reactions.listForIssue({
          ...n,
          content: 'heart',
          per_page: 5
        })
        assert.equal(res.data.length, 1)
        await h.reader.rest.reactions.listForIssue(n)
        await h.fails(
          h.owner.rest.reactions.listForIssue({ ...r, issue_number: 999 }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'reactions/delete-for-issue: 204',
      async run(h) {
        const r = await h.newRepo('react-issue-delete')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const n = { ...r, issue_number: data.number }
        const created = await h.owner.rest.reactions.createForIssue({ ...n, content: 'eyes' })
        const res = await h.owner.rest.reactions.deleteForIssue({
          ...n,
          reaction_id: created.data.id
        })
        assert.equal(res.status, 204)
      }
    },
    {
      title: 'reactions/create-for-issue-comment: 201 new, 200 existing, 422 unknown content',
      async run(h) {
        const r = await h.newRepo('react-comment')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const n = { ...r, comment_id: c.data.id }
        const first = await h.writer.rest.reactions.createForIssueComment({
          ...n,
          content: 'laugh'
        })
        assert.equal(first.status, 201)
        const again = await h.writer.rest.reactions.createForIssueComment({
          ...n,
          content: 'laugh'
        })
        assert.equal(again.status, 200)
        await h.fails(
          h.writer.rest.reactions.createForIssueComment({ ...n, content: 'nope' as never }),
          422,
          'Validation Failed'
        )
      }
    },
    {
      title: 'reactions/list-for-issue-comment: 200, 404 unknown comment',
      async run(h) {
        const r = await h.newRepo('react-comment-list')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const n = { ...r, comment_id: c.data.id }
        await h.owner.rest.reactions.createForIssueComment({ ...n, content: 'hooray' })
        const res = await h.reader.rest.reactions.listForIssueComment({ ...n, content: 'hooray' })
        assert.equal(res.data.length, 1)
        await h.fails(
          h.owner.rest.reactions.listForIssueComment({ ...r, comment_id: 999999 }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'reactions/delete-for-issue-comment: 204',
      async run(h) {
        const r = await h.newRepo('react-comment-delete')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const c = await h.owner.rest.issues.createComment({
          ...r,
          issue_number: data.number,
          body: 'a'
        })
        const n = { ...r, comment_id: c.data.id }
        const created = await h.owner.rest.reactions.createForIssueComment({
          ...n,
          content: 'confused'
        })
        const res = await h.owner.rest.reactions.deleteForIssueComment({
          ...n,
          reaction_id: created.data.id
        })
        assert.equal(res.status, 204)
      }
    }
  ]
}
