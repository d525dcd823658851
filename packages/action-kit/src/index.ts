export { InputError, inputSpecs, readInput, type InputSpec } from './inputs.js'
export { runStep, describeError } from './run.js'
export { writeJobSummary, type Cell } from './summary.js'
export { clientFromInputs, splitRepository } from './client.js'
