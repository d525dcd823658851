import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { contents } from './scenarios/contents.js'

describe(`conformance: ${contents.name}`, () => conformanceTests(contents))
