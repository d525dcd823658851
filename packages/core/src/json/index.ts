/**
 * JSON kept exactly: the ordered value type, its parser and its Python-compatible writer
 * (docs/gh-store-format.md §1.8). Every reader and writer of issue bodies, update comments,
 * snapshots and state documents goes through these; JSON read with `JSON.parse` (sequence files,
 * variables, inputs) has its nesting checked against the one limit, `MAX_JSON_DEPTH` (512).
 */
export { parseJson, JsonTextError, type JsonTextProblem, type ParseJsonOptions } from './parse.js'
export { checkJsonDepth, MAX_JSON_DEPTH, parseJsonChecked } from './depth.js'
export { displayPath, JsonTooDeepError } from './errors.js'
export { serializeJson, pythonFloat, type SerializeJsonOptions } from './serialize.js'
export {
  childPath,
  fromPlainJson,
  isJsonMap,
  JsonNumber,
  JsonValueError,
  numberOf,
  setOwn,
  toPlainJson,
  type JsonMap,
  type JsonValue
} from './value.js'
