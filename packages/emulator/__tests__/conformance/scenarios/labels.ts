import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

/** Repository labels and labels on issues. */
export const labels: ScenarioGroup = {
  name: 'labels',
  scenarios: [
    {
      title: 'issues/create-label: 201, 422 already_exists, 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('label-create')
        const res = await h.owner.rest.issues.createLabel({
          ...r,
          name: 'bug',
          color: 'D73A4A',
          description: 'broken'
        })
        assert.equal(res.status, 201)
        await h.owner.rest.issues.createLabel({ ...r, name: 'plain' })
        await h.fails(
          h.owner.rest.issues.createLabel({ ...r, name: 'BUG' }),
          422,
          'Validation Failed'
        )
        await h.fails(
          h.owner.rest.issues.createLabel({ ...r, repo: `${r.repo}-missing`, name: 'x' }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/list-labels-for-repo: 200 paginated, 404 unknown repo',
      async run(h) {
        const r = await h.newRepo('label-list')
        for (const name of ['a', 'b', 'c']) await h.owner.rest.issues.createLabel({ ...r, name })
        const res = await h.reader.rest.issues.listLabelsForRepo({ ...r, per_page: 2, page: 2 })
        assert.equal(res.data.length, 1)
        await h.fails(
          h.owner.rest.issues.listLabelsForRepo({ ...r, repo: `${r.repo}-missing` }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/get-label: 200 by case-insensitive name, 404 unknown',
      async run(h) {
        const r = await h.newRepo('label-get')
        await h.owner.rest.issues.createLabel({ ...r, name: 'Needs Review' })
        const res = await h.owner.rest.issues.getLabel({ ...r, name: 'needs review' })
        assert.equal(res.data.name, 'Needs Review')
        await h.fails(h.owner.rest.issues.getLabel({ ...r, name: 'nope' }), 404, 'Not Found')
      }
    },
    {
      title: 'issues/update-label: 200 renamed and recoloured',
      async run(h) {
        const r = await h.newRepo('label-update')
        await h.owner.rest.issues.createLabel({ ...r, name: 'old' })
        const res = await h.owner.rest.issues.updateLabel({
          ...r,
          name: 'old',
          new_name: 'new',
          color: '00ff00',
          description: 'renamed'
        })
        assert.equal(res.data.name, 'new')
      }
    },
    {
      title: 'issues/delete-label: 204',
      async run(h) {
        const r = await h.newRepo('label-delete')
        await h.owner.rest.issues.createLabel({ ...r, name: 'gone' })
        const res = await h.owner.rest.issues.deleteLabel({ ...r, name: 'gone' })
        assert.equal(res.status, 204)
      }
    },
    {
      title: 'issues/add-labels: 200 the labels (auto-created), 404 unknown issue',
      async run(h) {
        const r = await h.newRepo('label-add')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't' })
        const res = await h.owner.rest.issues.addLabels({
          ...r,
          issue_number: data.number,
          labels: ['x', 'y']
        })
        assert.equal(res.data.length, 2)
        await h.fails(
          h.owner.rest.issues.addLabels({ ...r, issue_number: 999, labels: ['x'] }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/set-labels: 200 the replaced set',
      async run(h) {
        const r = await h.newRepo('label-set')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't', labels: ['a'] })
        const res = await h.owner.rest.issues.setLabels({
          ...r,
          issue_number: data.number,
          labels: ['b', 'c']
        })
        assert.deepEqual(
          res.data.map((l) => l.name),
          ['b', 'c']
        )
      }
    },
    {
      title: 'issues/list-labels-on-issue: 200, 404 unknown issue',
      async run(h) {
        const r = await h.newRepo('label-on-issue')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
        const res = await h.reader.rest.issues.listLabelsOnIssue({
          ...r,
          issue_number: data.number
        })
        assert.equal(res.data.length, 2)
        await h.fails(
          h.owner.rest.issues.listLabelsOnIssue({ ...r, issue_number: 999 }),
          404,
          'Not Found'
        )
      }
    },
    {
      title: 'issues/remove-label: 200 the remaining labels, 404 label not on the issue',
      async run(h) {
        const r = await h.newRepo('label-remove')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't', labels: ['a', 'b'] })
        const res = await h.owner.rest.issues.removeLabel({
          ...r,
          issue_number: data.number,
          name: 'a'
        })
        assert.deepEqual(
          res.data.map((l) => l.name),
          ['b']
        )
        await h.fails(
          h.owner.rest.issues.removeLabel({ ...r, issue_number: data.number, name: 'a' }),
          404,
          'Label does not exist'
        )
      }
    },
    {
      title: 'issues/remove-all-labels: 204',
      async run(h) {
        const r = await h.newRepo('label-remove-all')
        const { data } = await h.owner.rest.issues.create({ ...r, title: 't', labels: ['a'] })
        const res = await h.owner.rest.issues.removeAllLabels({ ...r, issue_number: data.number })
        assert.equal(res.status, 204)
      }
    }
  ]
}
