import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { labels } from './scenarios/labels.js'

describe(`conformance: ${labels.name}`, () => conformanceTests(labels))
