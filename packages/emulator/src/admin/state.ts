import { fields } from '../decode.js'
import { BadAdminRequest } from '../errors.js'
import type { Route } from '../router.js'

/** Admin routes over the emulator instance: the request ledger, a full reset, the clock. */
export const stateAdminRoutes: Route[] = [
  {
    method: 'GET',
    template: '/_emulator/ledger',
    handler: ({ ctx }) => ({ status: 200, body: { entries: ctx.ledger.list() } })
  },
  {
    method: 'DELETE',
    template: '/_emulator/ledger',
    handler: ({ ctx }) => {
      ctx.ledger.clear()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/reset',
    handler: async ({ ctx }) => {
      ctx.store.reset()
      ctx.webhooks.reset()
      await ctx.git.reset()
      ctx.ledger.clear()
      ctx.rate.clear()
      ctx.faults.clear()
      ctx.lfs.clear()
      return { status: 204 }
    }
  },
  {
    method: 'POST',
    template: '/_emulator/clock',
    handler: ({ ctx, body }) => {
      const ms = fields(body).advance_ms
      if (typeof ms !== 'number' || !Number.isFinite(ms))
        throw new BadAdminRequest('"advance_ms" must be a number')
      ctx.clock.advance(ms)
      return { status: 200, body: { now: ctx.clock.now().toISOString() } }
    }
  }
]
