import { describe, expect, it } from '@jest/globals'
import {
  fromPlainJson,
  parseJson,
  serializeJson,
  toPlainJson,
  type JsonMap
} from '../../src/json/index.js'
import {
  applyUpdate as applyOrdered,
  applyUpdates as applyAllOrdered,
  deepMerge as mergeOrdered,
  type UpdateMode
} from '../../src/objects/merge.js'

// The merge works on ordered JSON values (docs/gh-store-format.md §1.8); these wrappers let the
// cases below be written, and checked, as plain data.
const ordered = (o: unknown) => fromPlainJson(o, 100) as JsonMap
const plain = (m: JsonMap) => toPlainJson(m) as Record<string, unknown>
const deepMerge = (base: unknown, update: unknown) => ({
  data: plain(mergeOrdered(ordered(base), ordered(update)))
})
const applyUpdate = (state: unknown, update: unknown, mode: UpdateMode) => ({
  data: plain(applyOrdered(ordered(state), ordered(update), mode))
})
const applyUpdates = (state: unknown, updates: Array<{ data: unknown; mode: UpdateMode }>) =>
  plain(
    applyAllOrdered(
      ordered(state),
      updates.map((u) => ({ data: ordered(u.data), mode: u.mode }))
    )
  )

describe('deepMerge', () => {
  it('deepMerge: reproduces gh-store’s verified example (docs/gh-store-format.md §2.6)', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 5 }
    const update = { a: { c: [3], e: null }, d: null }
    expect(deepMerge(base, update).data).toEqual({ a: { b: 1, c: [3], e: null }, d: null })
  })

  it('deepMerge: arrays and scalars replace, objects merge only when both sides are objects', () => {
    expect(deepMerge({ a: [1, 2], b: { x: 1 }, c: 1 }, { a: [3], b: 7, c: { y: 2 } }).data).toEqual(
      {
        a: [3],
        b: 7,
        c: { y: 2 }
      }
    )
  })

  it('deepMerge: keys named _meta inside data merge like any other key', () => {
    expect(deepMerge({ _meta: { a: 1 } }, { _meta: { b: 2 } }).data).toEqual({
      _meta: { a: 1, b: 2 }
    })
  })

  it('deepMerge: never mutates its inputs and shares no objects with them', () => {
    const base = { a: { b: 1 } }
    const update = { a: { c: { d: 1 } } }
    const { data } = deepMerge(base, update)
    ;(data.a as Record<string, unknown>).b = 99
    ;(data.a as Record<string, Record<string, unknown>>).c.d = 99
    expect(base).toEqual({ a: { b: 1 } })
    expect(update).toEqual({ a: { c: { d: 1 } } })
  })

  it('deepMerge: __proto__, constructor and prototype are data: merged and kept, no prototype touched (behaviour change: they were dropped)', () => {
    const base = parseJson(
      '{"__proto__":{"a":1},"10":0,"constructor":{"name":"Ferrari"}}'
    ) as JsonMap
    const update = parseJson(
      '{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":1}},"ok":1},"prototype":2,"2":1}'
    ) as JsonMap
    const merged = mergeOrdered(base, update)
    expect(serializeJson(merged, { ensureAscii: true })).toBe(
      serializeJson(
        parseJson(
          '{"__proto__":{"a":1,"polluted":1},"10":0,"constructor":{"name":"Ferrari"},' +
            '"a":{"constructor":{"prototype":{"polluted":1}},"ok":1},"prototype":2,"2":1}'
        )
      )
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(plain(merged))).toBe(Object.prototype)
    expect(Object.keys(plain(merged))).toContain('__proto__')
  })
})

describe('applyUpdate', () => {
  it('applyUpdate: replace mode makes the update the whole state', () => {
    expect(applyUpdate({ a: 1, b: { c: 2 } }, { b: { d: 3 } }, 'replace').data).toEqual({
      b: { d: 3 }
    })
  })

  it('applyUpdates: folds append and replace updates in order', () => {
    expect(
      applyUpdates({ a: 1 }, [
        { data: { b: 2 }, mode: 'append' },
        { data: { c: 3 }, mode: 'replace' },
        { data: { d: { e: 4 } }, mode: 'append' }
      ])
    ).toEqual({ c: 3, d: { e: 4 } })
  })
})
