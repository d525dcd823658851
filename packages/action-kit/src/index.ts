export {
  InputError,
  inputSpecs,
  jsonInput,
  listInput,
  oneOf,
  readInput,
  readInputOrFile,
  readInputs,
  readWorkspaceFile,
  relativeFilePath,
  wholeNumber,
  type InputSpec,
  type WholeNumberOptions
} from './inputs.js'
export { runStep, describeError } from './run.js'
export {
  EventPayloadError,
  issueEventSchema,
  readEvent,
  repositoryEventSchema,
  type ActionEvent,
  type IssueEventPayload
} from './event.js'
export { setOutputs, type OutputValue } from './outputs.js'
export {
  code,
  codeList,
  escapeText,
  JOB_SUMMARY_MAX_BYTES,
  md,
  truncateSummary,
  truncateText,
  writeJobSummary,
  type Cell,
  type Markdown,
  type SummaryPart
} from './summary.js'
export { describeSequenceEvent, idempotencyKeyOf, NO_IDEMPOTENCY_KEY } from './sequence.js'
export {
  clientFromInputs,
  durationInput,
  repoContextFromInputs,
  splitRepository,
  storeContextFromInputs
} from './client.js'
