import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { activity } from './scenarios/activity.js'

describe(`conformance: ${activity.name}`, () => conformanceTests(activity))
