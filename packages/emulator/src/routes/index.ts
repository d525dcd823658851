import { graphqlRoutes } from '../graphql/route.js'
import { compileRoutes, type CompiledRoute } from '../router.js'
import { activityRoutes } from './activity.js'
import { appRoutes } from './apps.js'
import { branchRoutes } from './branches.js'
import { commentRoutes } from './comments.js'
import { commitRoutes } from './commits.js'
import { contentRoutes } from './contents.js'
import { gitDataRoutes } from './git-data.js'
import { hookRoutes } from './hooks.js'
import { issueRoutes } from './issues.js'
import { labelRoutes } from './labels.js'
import { metaRoutes } from './meta.js'
import { orgRoutes } from './orgs.js'
import { pullRoutes } from './pulls.js'
import { reactionRoutesAll } from './reactions.js'
import { repoRoutes } from './repos.js'
import { teamRoutes } from './teams.js'
import { variableRoutes } from './variables.js'

/** Every API route the emulator serves, compiled once. */
export const API_ROUTES: CompiledRoute[] = compileRoutes([
  ...metaRoutes,
  ...graphqlRoutes,
  ...repoRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...reactionRoutesAll,
  ...labelRoutes,
  ...contentRoutes,
  ...gitDataRoutes,
  ...commitRoutes,
  ...branchRoutes,
  ...orgRoutes,
  ...teamRoutes,
  ...variableRoutes,
  ...appRoutes,
  ...activityRoutes,
  ...pullRoutes,
  ...hookRoutes
])
