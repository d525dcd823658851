export {
  runAction,
  parseFileCommand,
  inputVariable,
  type RunActionOptions,
  type ActionRun
} from './run-action.js'
export { issuesEventPayload, type IssuesEventSource } from './payloads.js'
export { runDemo, DEMO, type DemoResult } from './demo.js'
export { buildProgram, main } from './main.js'
