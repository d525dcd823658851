import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { issues } from './scenarios/issues.js'

describe(`conformance: ${issues.name}`, () => conformanceTests(issues))
