import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { meta } from './scenarios/meta.js'

describe(`conformance: ${meta.name}`, () => conformanceTests(meta))
