import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

const names = (labels: Array<string | { name?: string }>): Array<string | undefined> =>
  labels.map((l) => (typeof l === 'string' ? l : l.name))

describe('repository labels', () => {
  test('issues/create-label: answers 201 with name, color and description', async () => {
    const r = await newRepo(emulator, 'label-create')
    const res = await octokit.rest.issues.createLabel({
      ...r,
      name: 'bug',
      color: 'D73A4A',
      description: 'broken'
    })
    expect(res.status).toBe(201)
    expect(res.data).toMatchObject({
      name: 'bug',
      color: 'd73a4a',
      description: 'broken',
      default: false,
      url: `${emulator.url}/repos/octo/${r.repo}/labels/bug`
    })
  })

  test('issues/create-label: a duplicate name differing in case answers 422 already_exists', async () => {
    const r = await newRepo(emulator, 'label-dup')
    await octokit.rest.issues.createLabel({ ...r, name: 'Stored-Object' })
    const e = await failure(octokit.rest.issues.createLabel({ ...r, name: 'stored-object' }))
    expect(e.status).toBe(422)
    expect(e.response.data).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422'
    })
  })

  test('issues/create-label: a name over 50 characters answers 422', async () => {
    const r = await newRepo(emulator, 'label-long')
    await octokit.rest.issues.createLabel({ ...r, name: 'n'.repeat(50) })
    const e = await failure(octokit.rest.issues.createLabel({ ...r, name: 'n'.repeat(51) }))
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Validation Failed')
    expect(e.response.data.errors).toEqual([
      {
        resource: 'Label',
        code: 'custom',
        field: 'name',
        message: 'name is too long (maximum is 50 characters)'
      }
    ])
  })

  test('issues/create-label: an invalid colour answers 422 invalid', async () => {
    const r = await newRepo(emulator, 'label-color')
    const e = await failure(octokit.rest.issues.createLabel({ ...r, name: 'x', color: 'red' }))
    expect(e.status).toBe(422)
    expect(e.response.data.errors).toEqual([{ resource: 'Label', code: 'invalid', field: 'color' }])
  })

  test('issues/get-label, update-label, delete-label: names with ":" and spaces travel percent-encoded', async () => {
    const r = await newRepo(emulator, 'label-crud')
    await octokit.rest.issues.createLabel({ ...r, name: 'state: in progress', color: '00ff00' })
    const got = await octokit.rest.issues.getLabel({ ...r, name: 'state: in progress' })
    expect(got.data.url).toBe(
      `${emulator.url}/repos/octo/${r.repo}/labels/state%3A%20in%20progress`
    )
    const upper = await octokit.rest.issues.getLabel({ ...r, name: 'STATE: IN PROGRESS' })
    expect(upper.data.id).toBe(got.data.id)
    const renamed = await octokit.rest.issues.updateLabel({
      ...r,
      name: 'state: in progress',
      new_name: 'state: done',
      description: 'finished'
    })
    expect(renamed.data).toMatchObject({
      name: 'state: done',
      color: '00ff00',
      description: 'finished'
    })
    const del = await octokit.rest.issues.deleteLabel({ ...r, name: 'state: done' })
    expect(del.status).toBe(204)
    const e = await failure(octokit.rest.issues.getLabel({ ...r, name: 'state: done' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })

  test('issues/list-labels-for-repo: sorted by name and paginated', async () => {
    const r = await newRepo(emulator, 'label-list')
    for (const name of ['zeta', 'Alpha', 'mid'])
      await octokit.rest.issues.createLabel({ ...r, name })
    const page1 = await octokit.rest.issues.listLabelsForRepo({ ...r, per_page: 2 })
    expect(names(page1.data)).toEqual(['Alpha', 'mid'])
    expect(page1.headers.link).toContain('rel="next"')
    const all = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { ...r, per_page: 2 })
    expect(names(all)).toEqual(['Alpha', 'mid', 'zeta'])
  })
})

describe('labels on an issue', () => {
  test('issues/add-labels: appends, auto-creates missing labels (ededed) and bumps updated_at', async () => {
    const r = await newRepo(emulator, 'issue-label-add')
    const created = await octokit.rest.issues.create({ ...r, title: 't', labels: ['a'] })
    await emulator.admin.advanceClock(5000)
    const res = await octokit.rest.issues.addLabels({ ...r, issue_number: 1, labels: ['b', 'A'] })
    expect(res.status).toBe(200)
    expect(names(res.data)).toEqual(['a', 'b'])
    const b = await octokit.rest.issues.getLabel({ ...r, name: 'b' })
    expect(b.data.color).toBe('ededed')
    const issue = await octokit.rest.issues.get({ ...r, issue_number: 1 })
    expect(Date.parse(issue.data.updated_at)).toBe(Date.parse(created.data.updated_at) + 5000)
  })

  test('issues/add-labels: accepts a plain array body and {name} objects', async () => {
    const r = await newRepo(emulator, 'issue-label-forms')
    await octokit.rest.issues.create({ ...r, title: 't' })
    const plain = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
      ...r,
      issue_number: 1,
      data: ['x']
    } as never)
    expect(names(plain.data as Array<{ name: string }>)).toEqual(['x'])
    const objects = await octokit.rest.issues.addLabels({
      ...r,
      issue_number: 1,
      labels: [{ name: 'y' }]
    })
    expect(names(objects.data)).toEqual(['x', 'y'])
  })

  test('issues/set-labels: replaces the set', async () => {
    const r = await newRepo(emulator, 'issue-label-set')
    await octokit.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
    const res = await octokit.rest.issues.setLabels({ ...r, issue_number: 1, labels: ['c'] })
    expect(names(res.data)).toEqual(['c'])
    const listed = await octokit.rest.issues.listLabelsOnIssue({ ...r, issue_number: 1 })
    expect(names(listed.data)).toEqual(['c'])
  })

  test('issues/remove-label: 200 with the remaining labels; 404 Label does not exist when absent', async () => {
    const r = await newRepo(emulator, 'issue-label-remove')
    await octokit.rest.issues.create({ ...r, title: 't', labels: ['keep', 'drop: me'] })
    const res = await octokit.rest.issues.removeLabel({ ...r, issue_number: 1, name: 'drop: me' })
    expect(res.status).toBe(200)
    expect(names(res.data)).toEqual(['keep'])
    const e = await failure(
      octokit.rest.issues.removeLabel({ ...r, issue_number: 1, name: 'drop: me' })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Label does not exist')
  })

  test('issues/remove-all-labels: 204 and the issue has none', async () => {
    const r = await newRepo(emulator, 'issue-label-clear')
    await octokit.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
    const res = await octokit.rest.issues.removeAllLabels({ ...r, issue_number: 1 })
    expect(res.status).toBe(204)
    const issue = await octokit.rest.issues.get({ ...r, issue_number: 1 })
    expect(issue.data.labels).toEqual([])
  })

  test('issues/delete-label: the label disappears from issues too', async () => {
    const r = await newRepo(emulator, 'issue-label-delete')
    await octokit.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
    await octokit.rest.issues.deleteLabel({ ...r, name: 'a' })
    const issue = await octokit.rest.issues.get({ ...r, issue_number: 1 })
    expect(names(issue.data.labels)).toEqual(['b'])
  })
})
