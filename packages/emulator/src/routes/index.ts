import { compileRoutes, type CompiledRoute } from '../router.js'
import { commentRoutes } from './comments.js'
import { contentRoutes } from './contents.js'
import { issueRoutes } from './issues.js'
import { labelRoutes } from './labels.js'
import { metaRoutes } from './meta.js'
import { reactionRoutesAll } from './reactions.js'
import { repoRoutes } from './repos.js'
import { teamRoutes } from './teams.js'

/** Every API route the emulator serves, compiled once. */
export const API_ROUTES: CompiledRoute[] = compileRoutes([
  ...metaRoutes,
  ...repoRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...reactionRoutesAll,
  ...labelRoutes,
  ...contentRoutes,
  ...teamRoutes
])
