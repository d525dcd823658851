import { describe, expect, test } from '@jest/globals'
import { failure, GITHUB_TIME, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)
const writer = lazyClient(emulator, TOKENS.writer)
const outsider = lazyClient(emulator, TOKENS.outsider)

describe('issue comments', () => {
  test("issues/create-comment: 201 with GitHub's shape; the issue's count and updated_at follow", async () => {
    const r = await newRepo(emulator, 'comment-create')
    const issue = await owner.rest.issues.create({ ...r, title: 't' })
    await emulator.admin.advanceClock(3000)
    const res = await owner.rest.issues.createComment({ ...r, issue_number: 1, body: '{"x":1}' })
    expect(res.status).toBe(201)
    expect(res.data).toMatchObject({
      body: '{"x":1}',
      user: { login: 'octo' },
      author_association: 'OWNER',
      issue_url: `${emulator.url}/repos/octo/${r.repo}/issues/1`,
      url: `${emulator.url}/repos/octo/${r.repo}/issues/comments/${res.data.id}`,
      reactions: { total_count: 0, '+1': 0, rocket: 0 }
    })
    expect(res.data.created_at).toMatch(GITHUB_TIME)
    expect(typeof res.data.node_id).toBe('string')
    const after = await owner.rest.issues.get({ ...r, issue_number: 1 })
    expect(after.data.comments).toBe(1)
    expect(Date.parse(after.data.updated_at)).toBe(Date.parse(issue.data.updated_at) + 3000)
  })

  test('issues/list-comments: ascending by id; since keeps comments updated strictly after it', async () => {
    const r = await newRepo(emulator, 'comment-list')
    await owner.rest.issues.create({ ...r, title: 't' })
    const ids: Array<number | bigint> = []
    for (const body of ['a', 'b', 'c']) {
      ids.push((await owner.rest.issues.createComment({ ...r, issue_number: 1, body })).data.id)
      await emulator.admin.advanceClock(10_000)
    }
    const all = await owner.rest.issues.listComments({ ...r, issue_number: 1 })
    expect(all.data.map((c) => c.id)).toEqual(ids)
    const since = await owner.rest.issues.listComments({
      ...r,
      issue_number: 1,
      since: all.data[0].updated_at
    })
    expect(since.data.map((c) => c.body)).toEqual(['b', 'c'])
    await owner.rest.issues.updateComment({ ...r, comment_id: ids[0], body: 'a2' })
    const edited = await owner.rest.issues.listComments({
      ...r,
      issue_number: 1,
      since: all.data[2].updated_at
    })
    expect(edited.data.map((c) => c.body)).toEqual(['a2'])
    const paged = await owner.paginate(owner.rest.issues.listComments, {
      ...r,
      issue_number: 1,
      per_page: 2
    })
    expect(paged.map((c) => c.id)).toEqual(ids)
  })

  test('issues/get-comment, update-comment, delete-comment: 200, 200, 204, then 404', async () => {
    const r = await newRepo(emulator, 'comment-crud')
    await owner.rest.issues.create({ ...r, title: 't' })
    const { data: c } = await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'v1' })
    const got = await owner.rest.issues.getComment({ ...r, comment_id: c.id })
    expect(got.status).toBe(200)
    expect(got.data).toEqual(c)
    await emulator.admin.advanceClock(1000)
    const upd = await owner.rest.issues.updateComment({ ...r, comment_id: c.id, body: 'v2' })
    expect(upd.data.body).toBe('v2')
    expect(Date.parse(upd.data.updated_at)).toBe(Date.parse(c.updated_at) + 1000)
    expect(upd.data.created_at).toBe(c.created_at)
    const del = await owner.rest.issues.deleteComment({ ...r, comment_id: c.id })
    expect(del.status).toBe(204)
    const e = await failure(owner.rest.issues.getComment({ ...r, comment_id: c.id }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
    const issue = await owner.rest.issues.get({ ...r, issue_number: 1 })
    expect(issue.data.comments).toBe(0)
  })

  test('issues/list-comments-for-repo: every comment of the repository', async () => {
    const r = await newRepo(emulator, 'comment-repo')
    await owner.rest.issues.create({ ...r, title: 'a' })
    await owner.rest.issues.create({ ...r, title: 'b' })
    await owner.rest.issues.createComment({ ...r, issue_number: 2, body: 'on 2' })
    await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'on 1' })
    const res = await owner.rest.issues.listCommentsForRepo(r)
    expect(res.data.map((c) => c.body)).toEqual(['on 2', 'on 1'])
  })

  test('issues/create-comment: a body over 65,536 characters answers 422 with the exact error', async () => {
    const r = await newRepo(emulator, 'comment-limit')
    await owner.rest.issues.create({ ...r, title: 't' })
    const e = await failure(
      owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'z'.repeat(65_537) })
    )
    expect(e.status).toBe(422)
    expect(e.response.data).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)'
        }
      ],
      documentation_url: 'https://docs.github.com/rest',
      status: '422'
    })
    const ok = await owner.rest.issues.createComment({
      ...r,
      issue_number: 1,
      body: 'z'.repeat(65_536)
    })
    expect(ok.status).toBe(201)
  })

  test('issues/create-comment: author_association is OWNER, COLLABORATOR or NONE', async () => {
    const r = await newRepo(emulator, 'comment-assoc')
    await owner.rest.issues.create({ ...r, title: 't' })
    const a = await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'o' })
    const b = await writer.rest.issues.createComment({ ...r, issue_number: 1, body: 'w' })
    const c = await outsider.rest.issues.createComment({ ...r, issue_number: 1, body: 'x' })
    expect([a, b, c].map((x) => x.data.author_association)).toEqual([
      'OWNER',
      'COLLABORATOR',
      'NONE'
    ])
  })

  test("issues/update-comment: the author may edit without push access; others' comments answer 403", async () => {
    const r = await newRepo(emulator, 'comment-perm')
    await owner.rest.issues.create({ ...r, title: 't' })
    const mine = await outsider.rest.issues.createComment({ ...r, issue_number: 1, body: 'mine' })
    const edited = await outsider.rest.issues.updateComment({
      ...r,
      comment_id: mine.data.id,
      body: 'still mine'
    })
    expect(edited.data.body).toBe('still mine')
    const theirs = await owner.rest.issues.createComment({ ...r, issue_number: 1, body: 'theirs' })
    const e = await failure(
      outsider.rest.issues.updateComment({ ...r, comment_id: theirs.data.id, body: 'x' })
    )
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe('Must have admin rights to Repository.')
    const byWriter = await writer.rest.issues.deleteComment({ ...r, comment_id: mine.data.id })
    expect(byWriter.status).toBe(204)
  })
})
