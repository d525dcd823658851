/** `@hubstore/server`: `hubstore serve` as a library (issue 15). Filled in by the server work. */
export {}
