import { describe, expect, it } from '@jest/globals'
import { compileTemplate, periodOf, seriesKey, validateName } from '../../src/sequence/format.js'
import { sequenceBackoffMs } from '../../src/sequence/store.js'

describe('periodOf', () => {
  it('fiscal year: April start puts 31 March in the year before, 1 April in the next', () => {
    expect(periodOf(new Date('2026-03-31T12:00:00Z'), 4, 'UTC')).toEqual({
      year: 2026,
      fy: '2025-26',
      fyShort: '25-26'
    })
    expect(periodOf(new Date('2026-04-01T00:00:00Z'), 4, 'UTC').fy).toBe('2026-27')
  })
  it('time zone: 31 March 20:00 UTC is already 1 April in India', () => {
    expect(periodOf(new Date('2026-03-31T20:00:00Z'), 4, 'Asia/Kolkata').fy).toBe('2026-27')
    expect(periodOf(new Date('2026-03-31T20:00:00Z'), 4, 'UTC').fy).toBe('2025-26')
  })
  it('fiscal year: a January start is the calendar year; a century boundary keeps two digits', () => {
    expect(periodOf(new Date('2026-01-01T00:00:00Z'), 1, 'UTC').fy).toBe('2026')
    expect(periodOf(new Date('2099-12-01T00:00:00Z'), 7, 'UTC')).toMatchObject({
      fy: '2099-00',
      fyShort: '99-00'
    })
  })
  it('options: an unknown time zone or month fails naming the option', () => {
    expect(() => periodOf(new Date(), 4, 'Mars/Olympus')).toThrow(/Option timeZone/)
    expect(() => periodOf(new Date(), 13, 'UTC')).toThrow(/Option fiscalYearStartMonth/)
  })
})

describe('seriesKey', () => {
  const period = { year: 2026, fy: '2025-26', fyShort: '25-26' }
  it('series: none keeps the name; fiscal-year and calendar-year get their own key', () => {
    expect(seriesKey('dc', 'none', period)).toBe('dc')
    expect(seriesKey('dc', 'fiscal-year', period)).toBe('dc/FY2025-26')
    expect(seriesKey('dc', 'calendar-year', period)).toBe('dc/2026')
  })
})

describe('compileTemplate', () => {
  const values = {
    value: 301,
    name: 'akdc',
    period: { year: 2026, fy: '2025-26', fyShort: '25-26' }
  }
  it('tokens: value, zero padding, fy, fy_short, year, name and literal braces', () => {
    expect(compileTemplate('AKDC/{fy}/{value:06}')(values)).toBe('AKDC/2025-26/000301')
    expect(compileTemplate('{name}-{fy_short}-{year}-{value}')(values)).toBe('akdc-25-26-2026-301')
    expect(compileTemplate('{{{value:02}}}')(values)).toBe('{301}')
  })
  it('tokens: unknown tokens, bad specs, stray braces and a missing {value} are refused', () => {
    for (const bad of [
      '{fy}',
      'A{Value}',
      'A{value:6}',
      'A{value:x}',
      'A{fy:2}{value}',
      'A{value',
      'A}{value}'
    ])
      expect(() => compileTemplate(bad)).toThrow(/Option format must be a template/)
  })
})

describe('validateName', () => {
  it('names: 1–100 characters, no slash, no control characters, no surrounding spaces', () => {
    expect(validateName('akdchydnch_seq')).toBe('akdchydnch_seq')
    for (const bad of ['', 'a/b', ' a', 'a\n', 'x'.repeat(101), 5])
      expect(() => validateName(bad)).toThrow(/Option name/)
  })
})

describe('sequenceBackoffMs', () => {
  it('backoff: random × min(cap, base × 2^failures)', () => {
    expect(sequenceBackoffMs(1, 100, 5000, () => 0.5)).toBe(100)
    expect(sequenceBackoffMs(3, 100, 5000, () => 0.999)).toBe(799)
    expect(sequenceBackoffMs(10, 100, 5000, () => 0.5)).toBe(2500)
    expect(sequenceBackoffMs(4, 100, 5000, () => 0)).toBe(0)
  })
})
