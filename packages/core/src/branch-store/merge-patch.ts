/**
 * JSON Merge Patch (RFC 7396): objects merge recursively, a `null` member removes the key,
 * anything else (arrays, scalars) replaces. A non-object target is treated as `{}` when the
 * patch is an object. Every key is data — `__proto__`, `constructor` and `prototype` are merged
 * like any other (docs/gh-store-format.md §1.8) — and written with `Object.defineProperty`, so
 * no prototype is ever read or changed.
 */
import { setOwn } from '../json/index.js'

/** True for `{…}` (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `target` with `patch` applied; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const out: Record<string, unknown> = {}
  if (isPlainObject(target)) for (const key of Object.keys(target)) setOwn(out, key, target[key])
  for (const key of Object.keys(patch)) {
    const value = patch[key]
    if (value === null) delete out[key]
    else setOwn(out, key, applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value))
  }
  return out
}
