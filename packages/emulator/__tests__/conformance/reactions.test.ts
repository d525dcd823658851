import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { reactions } from './scenarios/reactions.js'

describe(`conformance: ${reactions.name}`, () => conformanceTests(reactions))
