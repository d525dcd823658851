import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'
import { OWNER, client } from '../../support.js'
import { appJwt } from '../../apps/support.js'
import { Receiver } from '../../webhooks/support.js'

let apps = 0

/** Repository webhooks, their deliveries, and the App webhook's deliveries. */
export const webhooks: ScenarioGroup = {
  name: 'webhooks',
  scenarios: [
    {
      title:
        'repos/create-webhook, list, get, update, ping, delete: 201/200/204, 422 without a URL',
      async run(h) {
        const receiver = await new Receiver().start()
        try {
          const r = await h.newRepo('hooks')
          const created = await h.owner.rest.repos.createWebhook({
            ...r,
            config: { url: receiver.url, content_type: 'json', secret: 's3cret' },
            events: ['issues']
          })
          assert.equal(created.status, 201)
          assert.equal(created.data.config.secret, '********')
          const hook_id = created.data.id
          const list = await h.owner.rest.repos.listWebhooks({ ...r, per_page: 1 })
          assert.deepEqual(
            list.data.map((x) => x.id),
            [hook_id]
          )
          await h.owner.rest.repos.getWebhook({ ...r, hook_id })
          const updated = await h.owner.rest.repos.updateWebhook({
            ...r,
            hook_id,
            add_events: ['push'],
            active: true
          })
          assert.deepEqual(updated.data.events, ['issues', 'push'])
          const ping = await h.owner.rest.repos.pingWebhook({ ...r, hook_id })
          assert.equal(ping.status, 204)
          await h.emulator.admin.settleWebhooks()
          assert.equal(receiver.of('ping').length, 2)
          await h.fails(
            h.owner.rest.repos.createWebhook({ ...r, config: { content_type: 'json' } }),
            422,
            'Validation Failed'
          )
          await h.fails(h.reader.rest.repos.getWebhook({ ...r, hook_id }), 404, 'Not Found')
          const deleted = await h.owner.rest.repos.deleteWebhook({ ...r, hook_id })
          assert.equal(deleted.status, 204)
        } finally {
          await receiver.close()
        }
      }
    },
    {
      title:
        'repos/list-webhook-deliveries (cursor Link), get-webhook-delivery, redeliver-webhook-delivery',
      async run(h) {
        const receiver = await new Receiver().start()
        try {
          const r = await h.newRepo('hook-deliveries')
          const { data: hook } = await h.owner.rest.repos.createWebhook({
            ...r,
            config: { url: receiver.url, content_type: 'json' },
            events: ['issues']
          })
          await h.owner.rest.issues.create({ ...r, title: 'delivered' })
          await h.emulator.admin.settleWebhooks()
          const list = await h.owner.rest.repos.listWebhookDeliveries({
            ...r,
            hook_id: hook.id,
            per_page: 1
          })
          assert.equal(list.data.length, 1)
          assert.match(String(list.headers.link), /rel="next"/)
          const [latest] = list.data
          assert.equal(latest.event, 'issues')
          const one = await h.owner.rest.repos.getWebhookDelivery({
            ...r,
            hook_id: hook.id,
            delivery_id: Number(latest.id)
          })
          assert.equal(one.data.guid, latest.guid)
          const again = await h.owner.rest.repos.redeliverWebhookDelivery({
            ...r,
            hook_id: hook.id,
            delivery_id: Number(latest.id)
          })
          assert.equal(again.status, 202)
          await h.emulator.admin.settleWebhooks()
        } finally {
          await receiver.close()
        }
      }
    },
    {
      title:
        'apps/list-webhook-deliveries, get-webhook-delivery, redeliver-webhook-delivery: App JWT',
      async run(h) {
        const receiver = await new Receiver().start()
        try {
          apps += 1
          const app = await h.emulator.admin.createApp({
            slug: `conf-hooks-app-${apps}-${process.pid}`,
            webhook_url: receiver.url,
            webhook_secret: 'app-secret',
            events: ['issues']
          })
          const jwt = client(h.emulator, appJwt(app.private_key, app.id))
          await h.emulator.admin.createInstallation(app.slug, { account: OWNER })
          await h.emulator.admin.settleWebhooks()
          const list = await jwt.rest.apps.listWebhookDeliveries({ per_page: 100 })
          assert.deepEqual(list.data.map((d) => d.event).sort(), ['installation', 'ping'])
          const [latest] = list.data
          const one = await jwt.rest.apps.getWebhookDelivery({ delivery_id: Number(latest.id) })
          assert.equal(one.data.guid, latest.guid)
          const again = await jwt.rest.apps.redeliverWebhookDelivery({
            delivery_id: Number(latest.id)
          })
          assert.equal(again.status, 202)
          await h.emulator.admin.settleWebhooks()
        } finally {
          await receiver.close()
        }
      }
    }
  ]
}
