/**
 * JSON kept exactly: the ordered value type, its parser and its Python-compatible writer
 * (docs/gh-store-format.md §1.8). Every reader and writer of issue bodies, update comments,
 * snapshots and state documents goes through these.
 */
export { parseJson, JsonTextError, type JsonTextProblem, type ParseJsonOptions } from './parse.js'
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
