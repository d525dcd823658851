export { InputError, inputSpecs, readInput, type InputSpec } from './inputs.js'
export { runStep, describeError } from './run.js'
export { writeJobSummary, type Cell } from './summary.js'
export { clientFromInputs, repoContextFromInputs, splitRepository } from './client.js'
