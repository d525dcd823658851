import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { variables } from './scenarios/variables.js'

describe(`conformance: ${variables.name}`, () => conformanceTests(variables))
