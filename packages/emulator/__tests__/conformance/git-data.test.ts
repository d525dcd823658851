import { describe } from '@jest/globals'
import { conformanceTests } from './run-group.js'
import { gitData } from './scenarios/git-data.js'

describe(`conformance: ${gitData.name}`, () => conformanceTests(gitData))
