import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'
import { OWNER } from '../../support.js'
import { mintToken, newApp } from '../../apps/support.js'

/** GitHub Apps: the App JWT routes and the installation-token repository listing. */
export const apps: ScenarioGroup = {
  name: 'GitHub Apps',
  scenarios: [
    {
      title: 'apps/get-authenticated: 200 the App with its installation count',
      async run(h) {
        const app = await newApp(h.emulator)
        const res = await app.jwtClient.rest.apps.getAuthenticated()
        assert.equal(res.data?.slug, app.slug)
        assert.equal(res.data?.installations_count, 0)
      }
    },
    {
      title: 'apps/list-installations and apps/get-installation: 200, 404 for another App',
      async run(h) {
        const app = await newApp(h.emulator)
        const other = await newApp(h.emulator)
        const installation = await h.emulator.admin.createInstallation(app.slug, {
          account: OWNER
        })
        const foreign = await h.emulator.admin.createInstallation(other.slug, { account: OWNER })
        const list = await app.jwtClient.rest.apps.listInstallations({ per_page: 1 })
        assert.deepEqual(
          list.data.map((i) => i.id),
          [installation.id]
        )
        await app.jwtClient.rest.apps.getInstallation({ installation_id: installation.id })
        await h.fails(
          app.jwtClient.rest.apps.getInstallation({ installation_id: foreign.id }),
          404,
          'Not Found'
        )
      }
    },
    {
      title:
        'apps/create-installation-access-token: 201 whole and narrowed, 422 outside the installation',
      async run(h) {
        const app = await newApp(h.emulator)
        const r = await h.newRepo('app-token')
        const installation = await h.emulator.admin.createInstallation(app.slug, {
          account: OWNER
        })
        const whole = await app.jwtClient.rest.apps.createInstallationAccessToken({
          installation_id: installation.id
        })
        assert.equal(whole.status, 201)
        const narrowed = await app.jwtClient.rest.apps.createInstallationAccessToken({
          installation_id: installation.id,
          repositories: [r.repo],
          permissions: { contents: 'read' }
        })
        assert.equal(narrowed.data.repositories?.length, 1)
        await h.fails(
          app.jwtClient.rest.apps.createInstallationAccessToken({
            installation_id: installation.id,
            repositories: ['missing']
          }),
          422,
          'There is at least one repository that does not exist or is not accessible to the parent installation.'
        )
      }
    },
    {
      title: 'apps/list-repos-accessible-to-installation: 200 paginated, 403 for a user token',
      async run(h) {
        const app = await newApp(h.emulator)
        await h.newRepo('app-list-1')
        await h.newRepo('app-list-2')
        const installation = await h.emulator.admin.createInstallation(app.slug, {
          account: OWNER
        })
        const octokit = h.client(await mintToken(app, installation.id))
        const page = await octokit.rest.apps.listReposAccessibleToInstallation({ per_page: 1 })
        assert.equal(page.data.repositories.length, 1)
        assert.ok(page.data.total_count >= 2)
        await h.fails(
          h.owner.rest.apps.listReposAccessibleToInstallation(),
          403,
          'You must authenticate with an installation access token in order to list repositories for an installation.'
        )
      }
    }
  ]
}
