import type { ScenarioGroup } from '../harness.js'
import { activity } from './activity.js'
import { apps } from './apps.js'
import { comments } from './comments.js'
import { commits } from './commits.js'
import { contents } from './contents.js'
import { gitData } from './git-data.js'
import { graphql } from './graphql.js'
import { issues } from './issues.js'
import { labels } from './labels.js'
import { meta } from './meta.js'
import { reactions } from './reactions.js'
import { variables } from './variables.js'
import { webhooks } from './webhooks.js'

/** Every scenario group, in the order the coverage run executes them. */
export const GROUPS: ScenarioGroup[] = [
  meta,
  issues,
  labels,
  comments,
  reactions,
  contents,
  gitData,
  commits,
  variables,
  graphql,
  apps,
  activity,
  webhooks
]
