import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { graphql } from './scenarios/graphql.js'

describe(`conformance: ${graphql.name}`, () => conformanceTests(graphql))
