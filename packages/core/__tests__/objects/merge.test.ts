import { describe, expect, it } from '@jest/globals'
import { applyUpdate, applyUpdates, deepMerge } from '../../src/objects/merge.js'

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

  it('deepMerge: drops __proto__, constructor and prototype keys and reports their paths', () => {
    const update = JSON.parse(
      '{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":1}},"ok":1},"prototype":2}'
    )
    const { data, droppedKeyPaths } = deepMerge({ a: {} }, update)
    expect(data).toEqual({ a: { ok: 1 } })
    expect(Object.keys(data)).toEqual(['a'])
    expect(droppedKeyPaths.sort()).toEqual(['__proto__', 'a.constructor', 'prototype'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype)
  })

  it('deepMerge: drops forbidden keys found in the base, at any depth', () => {
    const base = JSON.parse('{"x":{"__proto__":{"polluted":1},"y":1}}')
    const { data, droppedKeyPaths } = deepMerge(base, {})
    expect(data).toEqual({ x: { y: 1 } })
    expect(Object.hasOwn(data.x as object, '__proto__')).toBe(false)
    expect(droppedKeyPaths).toEqual(['x.__proto__'])
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
