import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)
const bot = lazyClient(emulator, TOKENS.botWrite)

async function issueWithComment(prefix: string) {
  const r = await newRepo(emulator, prefix)
  await owner.rest.issues.create({ ...r, title: 't' })
  const { data } = await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'c' })
  return { r, commentId: data.id }
}

describe('reactions', () => {
  test('reactions/create-for-issue-comment: 201 new, 200 with the same reaction for the same user and content', async () => {
    const { r, commentId } = await issueWithComment('react-create')
    const first = await owner.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: '+1'
    })
    expect(first.status).toBe(201)
    expect(first.data).toMatchObject({ content: '+1', user: { login: 'octo' } })
    const again = await owner.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: '+1'
    })
    expect(again.status).toBe(200)
    expect(again.data).toEqual(first.data)
    const other = await bot.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: '+1'
    })
    expect(other.status).toBe(201)
    expect(other.data.id).not.toBe(first.data.id)
    const rocket = await owner.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: 'rocket'
    })
    expect(rocket.status).toBe(201)
    const comment = await owner.rest.issues.getComment({ ...r, comment_id: commentId })
    expect(comment.data.reactions).toEqual({
      url: `${emulator.url}/repos/octo/${r.repo}/issues/comments/${commentId}/reactions`,
      total_count: 3,
      '+1': 2,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 1
    })
  })

  test('reactions/list-for-issue-comment: all, or filtered by content, paginated', async () => {
    const { r, commentId } = await issueWithComment('react-list')
    await owner.rest.reactions.createForIssueComment({ ...r, comment_id: commentId, content: '+1' })
    await owner.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: 'eyes'
    })
    await bot.rest.reactions.createForIssueComment({ ...r, comment_id: commentId, content: '+1' })
    const all = await owner.rest.reactions.listForIssueComment({ ...r, comment_id: commentId })
    expect(all.data.map((x) => x.content)).toEqual(['+1', 'eyes', '+1'])
    const plus = await owner.rest.reactions.listForIssueComment({
      ...r,
      comment_id: commentId,
      content: '+1'
    })
    expect(plus.data.map((x) => x.user?.login)).toEqual(['octo', 'hubstore-app[bot]'])
    const paged = await owner.paginate(owner.rest.reactions.listForIssueComment, {
      ...r,
      comment_id: commentId,
      per_page: 1
    })
    expect(paged).toHaveLength(3)
  })

  test('reactions/delete-for-issue-comment: 204 and the rollup drops', async () => {
    const { r, commentId } = await issueWithComment('react-delete')
    const { data } = await owner.rest.reactions.createForIssueComment({
      ...r,
      comment_id: commentId,
      content: 'heart'
    })
    const del = await owner.rest.reactions.deleteForIssueComment({
      ...r,
      comment_id: commentId,
      reaction_id: data.id
    })
    expect(del.status).toBe(204)
    const comment = await owner.rest.issues.getComment({ ...r, comment_id: commentId })
    expect(comment.data.reactions?.total_count).toBe(0)
    expect(comment.data.reactions?.heart).toBe(0)
    const e = await failure(
      owner.rest.reactions.deleteForIssueComment({
        ...r,
        comment_id: commentId,
        reaction_id: data.id
      })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })

  test('reactions/create-for-issue-comment: an unknown content answers 422', async () => {
    const { r, commentId } = await issueWithComment('react-invalid')
    const e = await failure(
      owner.rest.reactions.createForIssueComment({
        ...r,
        comment_id: commentId,
        content: 'thumbsup' as never
      })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Validation Failed')
    expect(e.response.data.errors).toEqual([
      { resource: 'Reaction', code: 'invalid', field: 'content' }
    ])
  })

  test('reactions/create-for-issue, list-for-issue, delete-for-issue: the issue rollup follows', async () => {
    const r = await newRepo(emulator, 'react-issue')
    const issue = await owner.rest.issues.create({ ...r, title: 't' })
    await emulator.admin.advanceClock(60_000)
    const res = await owner.rest.reactions.createForIssue({
      ...r,
      issue_number: 1,
      content: 'hooray'
    })
    expect(res.status).toBe(201)
    const again = await owner.rest.reactions.createForIssue({
      ...r,
      issue_number: 1,
      content: 'hooray'
    })
    expect(again.status).toBe(200)
    const listed = await owner.rest.reactions.listForIssue({ ...r, issue_number: 1 })
    expect(listed.data.map((x) => x.id)).toEqual([res.data.id])
    const got = await owner.rest.issues.get({ ...r, issue_number: 1 })
    expect(got.data.reactions).toMatchObject({ total_count: 1, hooray: 1 })
    expect(got.data.updated_at).toBe(issue.data.updated_at)
    const del = await owner.rest.reactions.deleteForIssue({
      ...r,
      issue_number: 1,
      reaction_id: res.data.id
    })
    expect(del.status).toBe(204)
    const after = await owner.rest.issues.get({ ...r, issue_number: 1 })
    expect(after.data.reactions).toMatchObject({ total_count: 0, hooray: 0 })
  })
})
