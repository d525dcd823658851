/** `@hubstore/core/sequence`: the series kinds and defaults of sequences. */
export { SEQUENCE_DEFAULTS } from './constants.js'
export { SERIES_KINDS } from './format.js'
