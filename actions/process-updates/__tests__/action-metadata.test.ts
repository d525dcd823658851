import { describeActionMetadata } from '../../../test-support/action-metadata.js'
import { Inputs, Outputs } from '../src/constants.js'

describeActionMetadata('process-updates', { Inputs, Outputs })
