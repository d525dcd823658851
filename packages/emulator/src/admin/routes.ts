import { compileRoutes, type CompiledRoute } from '../router.js'
import { appsAdminRoutes } from './apps.js'
import { faultAdminRoutes } from './faults.js'
import { gitAdminRoutes } from './git.js'
import { limitsAdminRoutes } from './limits.js'
import { repoAdminRoutes } from './repos.js'
import { seedAdminRoutes } from './seed.js'
import { stateAdminRoutes } from './state.js'
import { webhookAdminRoutes } from './webhooks.js'

export { ADMIN_PREFIX } from './client.js'

/**
 * The admin API (JSON over HTTP, under `/_emulator/`), one module per area: set-up
 * (`repos.ts`), the instance (`state.ts`), rate limits (`limits.ts`), faults and latency
 * (`faults.ts`), bulk seeding (`seed.ts`), git storage (`git.ts`), GitHub Apps (`apps.ts`) and webhook deliveries (`webhooks.ts`). `client.ts` is the typed
 * client of all of them.
 */
export const ADMIN_ROUTES: CompiledRoute[] = compileRoutes([
  ...repoAdminRoutes,
  ...stateAdminRoutes,
  ...limitsAdminRoutes,
  ...faultAdminRoutes,
  ...seedAdminRoutes,
  ...gitAdminRoutes,
  ...appsAdminRoutes,
  ...webhookAdminRoutes
])
