import { describe, expect, test } from '@jest/globals'
import { failure, GITHUB_TIME, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

async function tick(seconds = 10): Promise<void> {
  await emulator.admin.advanceClock(seconds * 1000)
}

describe('issues', () => {
  test("issues/create: answers 201 with GitHub's issue shape", async () => {
    const r = await newRepo(emulator, 'issue-create')
    const res = await octokit.rest.issues.create({ ...r, title: 'First', body: '{"a":1}' })
    expect(res.status).toBe(201)
    const issue = res.data
    expect(issue).toMatchObject({
      number: 1,
      title: 'First',
      body: '{"a":1}',
      state: 'open',
      state_reason: null,
      labels: [],
      comments: 0,
      closed_at: null,
      locked: false,
      assignees: [],
      author_association: 'OWNER',
      user: { login: 'octo', type: 'User', site_admin: false },
      url: `${emulator.url}/repos/octo/${r.repo}/issues/1`,
      repository_url: `${emulator.url}/repos/octo/${r.repo}`,
      comments_url: `${emulator.url}/repos/octo/${r.repo}/issues/1/comments`,
      reactions: { total_count: 0, '+1': 0, '-1': 0, laugh: 0, rocket: 0, eyes: 0 }
    })
    expect(issue.created_at).toMatch(GITHUB_TIME)
    expect(issue.updated_at).toBe(issue.created_at)
    expect(typeof issue.id).toBe('number')
    expect(typeof issue.node_id).toBe('string')
    const again = await octokit.rest.issues.get({ ...r, issue_number: 1 })
    expect(again.data).toEqual(issue)
  })

  test('issues/create: missing labels are auto-created with colour ededed', async () => {
    const r = await newRepo(emulator, 'issue-autolabel')
    const { data } = await octokit.rest.issues.create({
      ...r,
      title: 't',
      labels: ['gh-store', 'UID:abc']
    })
    expect(data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
      'gh-store',
      'UID:abc'
    ])
    const labels = await octokit.rest.issues.listLabelsForRepo(r)
    expect(labels.data.map((l) => [l.name, l.color, l.description])).toEqual([
      ['gh-store', 'ededed', null],
      ['UID:abc', 'ededed', null]
    ])
  })

  test('issues/create: a missing title answers 422 Invalid request', async () => {
    const r = await newRepo(emulator, 'issue-notitle')
    const e = await failure(octokit.request('POST /repos/{owner}/{repo}/issues', r as never))
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Invalid request.\n\n"title" wasn\'t supplied.')
  })

  test('issues/get: an unknown number answers 404 Not Found', async () => {
    const r = await newRepo(emulator, 'issue-404')
    const e = await failure(octokit.rest.issues.get({ ...r, issue_number: 7 }))
    expect(e.status).toBe(404)
    expect(e.response.data).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  })

  test('issues/list-for-repo: open by default, newest first; state closed and all', async () => {
    const r = await newRepo(emulator, 'issue-state')
    for (const title of ['a', 'b', 'c']) {
      await octokit.rest.issues.create({ ...r, title })
      await tick()
    }
    await octokit.rest.issues.update({ ...r, issue_number: 2, state: 'closed' })
    const open = await octokit.rest.issues.listForRepo(r)
    expect(open.data.map((i) => i.number)).toEqual([3, 1])
    const closed = await octokit.rest.issues.listForRepo({ ...r, state: 'closed' })
    expect(closed.data.map((i) => i.number)).toEqual([2])
    const all = await octokit.rest.issues.listForRepo({ ...r, state: 'all', direction: 'asc' })
    expect(all.data.map((i) => i.number)).toEqual([1, 2, 3])
  })

  test('issues/list-for-repo: labels is an AND filter with case-insensitive names', async () => {
    const r = await newRepo(emulator, 'issue-labels-and')
    await octokit.rest.issues.create({ ...r, title: '1', labels: ['gh-store', 'stored-object'] })
    await octokit.rest.issues.create({ ...r, title: '2', labels: ['gh-store'] })
    await octokit.rest.issues.create({ ...r, title: '3', labels: ['stored-object', 'other'] })
    const both = await octokit.rest.issues.listForRepo({ ...r, labels: 'GH-Store,stored-object' })
    expect(both.data.map((i) => i.number)).toEqual([1])
    const one = await octokit.rest.issues.listForRepo({
      ...r,
      labels: 'gh-store',
      direction: 'asc'
    })
    expect(one.data.map((i) => i.number)).toEqual([1, 2])
    const none = await octokit.rest.issues.listForRepo({ ...r, labels: 'missing' })
    expect(none.data).toEqual([])
  })

  test('issues/list-for-repo: since keeps issues updated strictly after it', async () => {
    const r = await newRepo(emulator, 'issue-since')
    const first = await octokit.rest.issues.create({ ...r, title: 'old' })
    await tick()
    const second = await octokit.rest.issues.create({ ...r, title: 'new' })
    const atFirst = await octokit.rest.issues.listForRepo({ ...r, since: first.data.updated_at })
    expect(atFirst.data.map((i) => i.number)).toEqual([2])
    const atSecond = await octokit.rest.issues.listForRepo({ ...r, since: second.data.updated_at })
    expect(atSecond.data).toEqual([])
    await tick()
    await octokit.rest.issues.createComment({ ...r, issue_number: 1, body: 'bump' })
    const later = await octokit.rest.issues.listForRepo({ ...r, since: second.data.updated_at })
    expect(later.data.map((i) => i.number)).toEqual([1])
  })

  test('issues/list-for-repo: sort updated and comments, direction asc and desc', async () => {
    const r = await newRepo(emulator, 'issue-sort')
    for (const title of ['a', 'b', 'c']) {
      await octokit.rest.issues.create({ ...r, title })
      await tick()
    }
    await octokit.rest.issues.update({ ...r, issue_number: 1, title: 'a2' })
    await octokit.rest.issues.createComment({ ...r, issue_number: 2, body: 'x' })
    await octokit.rest.issues.createComment({ ...r, issue_number: 2, body: 'y' })
    await tick()
    await octokit.rest.issues.createComment({ ...r, issue_number: 3, body: 'z' })
    const updated = await octokit.rest.issues.listForRepo({ ...r, sort: 'updated' })
    expect(updated.data.map((i) => i.number)).toEqual([3, 2, 1])
    const updatedAsc = await octokit.rest.issues.listForRepo({
      ...r,
      sort: 'updated',
      direction: 'asc'
    })
    expect(updatedAsc.data.map((i) => i.number)).toEqual([1, 2, 3])
    const comments = await octokit.rest.issues.listForRepo({ ...r, sort: 'comments' })
    expect(comments.data.map((i) => [i.number, i.comments])).toEqual([
      [2, 2],
      [3, 1],
      [1, 0]
    ])
  })

  test('issues/list-for-repo: octokit.paginate walks 105 issues; link URLs are absolute on the emulator', async () => {
    const r = await newRepo(emulator, 'issue-paginate')
    for (let i = 0; i < 105; i++) await octokit.rest.issues.create({ ...r, title: `issue ${i}` })
    const first = await octokit.rest.issues.listForRepo({ ...r, per_page: 100 })
    expect(first.data).toHaveLength(100)
    const base = `${emulator.url}/repos/octo/${r.repo}/issues?per_page=100`
    expect(first.headers.link).toBe(`<${base}&page=2>; rel="next", <${base}&page=2>; rel="last"`)
    const second = await octokit.rest.issues.listForRepo({ ...r, per_page: 100, page: 2 })
    expect(second.headers.link).toBe(`<${base}&page=1>; rel="prev", <${base}&page=1>; rel="first"`)
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      ...r,
      per_page: 100,
      direction: 'asc'
    })
    expect(all.map((i) => i.number)).toEqual(Array.from({ length: 105 }, (_, i) => i + 1))
    const capped = await octokit.rest.issues.listForRepo({ ...r, per_page: 500 })
    expect(capped.data).toHaveLength(100)
    const byDefault = await octokit.rest.issues.listForRepo(r)
    expect(byDefault.data).toHaveLength(30)
    expect(byDefault.headers.link).toContain(`rel="last"`)
    expect(byDefault.headers.link).toContain(
      `${emulator.url}/repos/octo/${r.repo}/issues?page=4>; rel="last"`
    )
  })

  test('issues/update: closing sets closed_at and state_reason completed; reopening sets reopened', async () => {
    const r = await newRepo(emulator, 'issue-close')
    await octokit.rest.issues.create({ ...r, title: 't' })
    await tick()
    const closed = await octokit.rest.issues.update({ ...r, issue_number: 1, state: 'closed' })
    expect(closed.data.state).toBe('closed')
    expect(closed.data.state_reason).toBe('completed')
    expect(closed.data.closed_at).toMatch(GITHUB_TIME)
    expect(closed.data.closed_by?.login).toBe('octo')
    await tick()
    const reopened = await octokit.rest.issues.update({ ...r, issue_number: 1, state: 'open' })
    expect(reopened.data.state).toBe('open')
    expect(reopened.data.state_reason).toBe('reopened')
    expect(reopened.data.closed_at).toBeNull()
    const notPlanned = await octokit.rest.issues.update({
      ...r,
      issue_number: 1,
      state: 'closed',
      state_reason: 'not_planned'
    })
    expect(notPlanned.data.state_reason).toBe('not_planned')
  })

  test('issues/update: title, body and labels (replacing) change and bump updated_at', async () => {
    const r = await newRepo(emulator, 'issue-edit')
    const created = await octokit.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
    await tick()
    const edited = await octokit.rest.issues.update({
      ...r,
      issue_number: 1,
      title: 't2',
      body: 'new body',
      labels: ['c']
    })
    expect(edited.data.title).toBe('t2')
    expect(edited.data.body).toBe('new body')
    expect(edited.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['c'])
    expect(Date.parse(edited.data.updated_at)).toBe(Date.parse(created.data.updated_at) + 10_000)
    expect(edited.data.created_at).toBe(created.data.created_at)
  })

  test('issues/update: an unknown state answers 422 Validation Failed', async () => {
    const r = await newRepo(emulator, 'issue-badstate')
    await octokit.rest.issues.create({ ...r, title: 't' })
    const e = await failure(
      octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...r,
        issue_number: 1,
        state: 'gone' as never
      })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Validation Failed')
    expect(e.response.data.errors).toEqual([{ resource: 'Issue', code: 'invalid', field: 'state' }])
  })

  test('issues/create: a body over 65,536 characters answers 422 with the exact error; 65,536 passes', async () => {
    const r = await newRepo(emulator, 'issue-body-limit')
    const ok = await octokit.rest.issues.create({ ...r, title: 't', body: 'x'.repeat(65_536) })
    expect(ok.data.body).toHaveLength(65_536)
    const e = await failure(
      octokit.rest.issues.create({ ...r, title: 't', body: 'x'.repeat(65_537) })
    )
    expect(e.status).toBe(422)
    expect(e.response.data).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'Issue',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)'
        }
      ],
      documentation_url: 'https://docs.github.com/rest',
      status: '422'
    })
    const patch = await failure(
      octokit.rest.issues.update({ ...r, issue_number: 1, body: 'y'.repeat(70_000) })
    )
    expect(patch.status).toBe(422)
    expect(patch.response.data.message).toBe('Validation Failed')
    const unchanged = await octokit.rest.issues.get({ ...r, issue_number: 1 })
    expect(unchanged.data.body).toHaveLength(65_536)
  })
})
