import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

/** Actions repository variables (`actions/*-repo-variable(s)`). */
export const variables: ScenarioGroup = {
  name: 'variables',
  scenarios: [
    {
      title: 'actions/create-repo-variable: 201',
      async run(h) {
        const r = await h.newRepo('var-create')
        const res = await h.owner.rest.actions.createRepoVariable({
          ...r,
          name: 'STATE',
          value: '1'
        })
        assert.equal(res.status, 201)
      }
    },
    {
      title: 'actions/list-repo-variables: 200 total_count and a page',
      async run(h) {
        const r = await h.newRepo('var-list')
        for (const name of ['A', 'B', 'C'])
          await h.owner.rest.actions.createRepoVariable({ ...r, name, value: name.toLowerCase() })
        const res = await h.owner.rest.actions.listRepoVariables({ ...r, per_page: 2, page: 1 })
        assert.equal(res.data.total_count, 3)
        assert.equal(res.data.variables.length, 2)
      }
    },
    {
      title: 'actions/get-repo-variable: 200 the variable',
      async run(h) {
        const r = await h.newRepo('var-get')
        await h.owner.rest.actions.createRepoVariable({ ...r, name: 'counter', value: '41' })
        const res = await h.owner.rest.actions.getRepoVariable({ ...r, name: 'COUNTER' })
        assert.equal(res.data.value, '41')
      }
    },
    {
      title: 'actions/update-repo-variable: 204 value and name changed',
      async run(h) {
        const r = await h.newRepo('var-update')
        await h.owner.rest.actions.createRepoVariable({ ...r, name: 'OLD', value: '1' })
        const res = await h.owner.rest.actions.updateRepoVariable({
          ...r,
          name: 'OLD',
          value: '2'
        })
        assert.equal(res.status, 204)
        // Renaming: `name` is both the path parameter and a body field.
        await h.owner.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', {
          ...r,
          name: 'OLD',
          data: { name: 'NEW' }
        })
        const renamed = await h.owner.rest.actions.getRepoVariable({ ...r, name: 'NEW' })
        assert.equal(renamed.data.value, '2')
      }
    },
    {
      title: 'actions/delete-repo-variable: 204',
      async run(h) {
        const r = await h.newRepo('var-delete')
        await h.owner.rest.actions.createRepoVariable({ ...r, name: 'GONE', value: '1' })
        const res = await h.owner.rest.actions.deleteRepoVariable({ ...r, name: 'GONE' })
        assert.equal(res.status, 204)
      }
    }
  ]
}
