/**
 * Two checks every capability shares on user-supplied names and keys: control characters, and
 * null-prototype maps. Sequence names, idempotency keys, document paths and object ids are user
 * data; a name such as `constructor`, `toString` or `__proto__` must be looked up and assigned like
 * any other, which a plain object does not do (it finds, or sets, `Object.prototype`'s member).
 */

/** True when `text` has a C0 or C1 control character or DEL (newlines and NUL included). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

/** A null-prototype copy of `record` (own enumerable keys), or an empty one. */
export function dictionary<T>(record: Readonly<Record<string, T>> = {}): Record<string, T> {
  const out = Object.create(null) as Record<string, T>
  for (const key of Object.keys(record)) out[key] = record[key] as T
  return out
}
