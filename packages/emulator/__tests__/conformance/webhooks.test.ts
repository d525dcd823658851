import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { webhooks } from './scenarios/webhooks.js'

describe(`conformance: ${webhooks.name}`, () => conformanceTests(webhooks))
