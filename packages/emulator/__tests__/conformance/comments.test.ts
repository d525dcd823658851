import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { comments } from './scenarios/comments.js'

describe(`conformance: ${comments.name}`, () => conformanceTests(comments))
