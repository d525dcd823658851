import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import type { Route } from '../router.js'
import type { DeliveryFaultInput } from '../webhooks/faults.js'
import { adminString, integer, oneOf, optionalInteger } from './decode.js'

/**
 * Admin routes of the webhook engine (wrapped by `EmulatorAdminClient.addWebhookFault`,
 * `.webhookFaults`, `.clearWebhookFaults`, `.settleWebhooks`, `.webhookDeliveries`):
 * - `POST /_emulator/webhooks/faults {mode: drop|fail|delay, status?, delay_ms?, event?, count?}`
 *   → 201 the rule: `drop` = the endpoint is down (recorded as failed, nothing sent), `fail` =
 *   recorded as answered `status` (default 500, nothing sent), `delay` = `delay_ms` of wall time
 *   before the POST; at most `count` deliveries (absent: all) of `event` (absent: any);
 * - `GET /_emulator/webhooks/faults` → `{faults}`; `DELETE /_emulator/webhooks/faults` → 204;
 * - `POST /_emulator/webhooks/settle` → `{settled}` once every queued delivery is done;
 * - `GET /_emulator/webhooks/deliveries` → `{deliveries}`: every attempt, oldest first, with
 *   the request sent and the response received.
 */
export const webhookAdminRoutes: Route[] = [
  {
    method: 'POST',
    template: '/_emulator/webhooks/faults',
    handler: ({ ctx, body }) => {
      const obj = fields(body)
      const mode = oneOf(obj, 'mode', ['drop', 'fail', 'delay'] as const)
      if (!mode) throw new BadAdminRequest('"mode" must be one of drop, fail, delay')
      const input: DeliveryFaultInput = {
        mode,
        ...(obj.status === undefined ? {} : { status: integer(obj, 'status', 100, 599) }),
        ...(obj.delay_ms === undefined ? {} : { delay_ms: integer(obj, 'delay_ms', 0, 60_000) }),
        ...(obj.event === undefined ? {} : { event: adminString(obj, 'event', true) }),
        ...(obj.count === undefined ? {} : { count: optionalInteger(obj, 'count', 1) })
      }
      return { status: 201, body: ctx.webhooks.faults.add(input) }
    }
  },
  {
    method: 'GET',
    template: '/_emulator/webhooks/faults',
    handler: ({ ctx }) => ({ status: 200, body: { faults: ctx.webhooks.faults.list() } })
  },
  {
    method: 'DELETE',
    template: '/_emulator/webhooks/faults',
    handler: ({ ctx }) => {
      ctx.webhooks.faults.clear()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/webhooks/settle',
    handler: async ({ ctx }) => ({ status: 200, body: { settled: await ctx.webhooks.settle() } })
  },
  {
    method: 'GET',
    template: '/_emulator/webhooks/deliveries',
    handler: ({ ctx }) => ({
      status: 200,
      body: {
        deliveries: ctx.webhooks.log.all().map(({ target, done: _d, ...r }) => ({
          ...r,
          hook: { type: target.type, id: target.hookId }
        }))
      }
    })
  }
]
