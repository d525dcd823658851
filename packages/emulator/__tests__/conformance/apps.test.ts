import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { apps } from './scenarios/apps.js'

describe(`conformance: ${apps.name}`, () => conformanceTests(apps))
