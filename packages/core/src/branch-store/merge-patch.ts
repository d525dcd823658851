/**
 * JSON Merge Patch (RFC 7396): objects merge recursively, a `null` member removes the key,
 * anything else (arrays, scalars) replaces. A non-object target is treated as `{}` when the
 * patch is an object. Keys `__proto__`, `constructor` and `prototype` are never merged.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** True for `{…}` (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `target` with `patch` applied; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN.has(key)) continue
    if (value === null) delete out[key]
    else out[key] = applyMergePatch(out[key], value)
  }
  return out
}
