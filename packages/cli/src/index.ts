export {
  runAction,
  runActionWithPost,
  parseFileCommand,
  inputVariable,
  createRunnerFiles,
  type RunnerFiles,
  type RunActionOptions,
  type ActionRun
} from './run-action/run-action.js'
export { issuesEventPayload, type IssuesEventSource } from './run-action/payloads.js'
export { runDemo, DEMO, type DemoResult } from './demo/demo.js'
export { buildProgram, CLI_VERSION, everyCommand, main, run, type CliStreams } from './main.js'
