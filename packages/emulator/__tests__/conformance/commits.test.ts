import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { commits } from './scenarios/commits.js'

describe(`conformance: ${commits.name}`, () => conformanceTests(commits))
