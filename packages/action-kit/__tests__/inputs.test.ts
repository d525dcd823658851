import { afterEach, describe, expect, it } from '@jest/globals'
import { inputSpecs, readInput } from '../src/inputs.js'

// Real INPUT_* variables, with the runner's name mangling (actions/cache's testUtils habit).
const set = (name: string, value: string): void => {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
}
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
})

describe('readInput', () => {
  it('optionalPositiveInt: empty is undefined, digits are a number', () => {
    expect(readInput('issue-number', inputSpecs.optionalPositiveInt)).toBeUndefined()
    set('issue-number', ' 42 ')
    expect(readInput('issue-number', inputSpecs.optionalPositiveInt)).toBe(42)
  })
  it('optionalPositiveInt: a bad value fails naming the input, the value and the fix', () => {
    set('issue-number', '4x')
    expect(() => readInput('issue-number', inputSpecs.optionalPositiveInt)).toThrow(
      'Input "issue-number": expected a positive whole number, or empty, got "4x". Set "issue-number" to a positive whole number, or empty in the step\'s "with:" block.'
    )
    set('issue-number', '0')
    expect(() => readInput('issue-number', inputSpecs.optionalPositiveInt)).toThrow(/got "0"/)
  })
  it('repository: owner/name only', () => {
    set('repository', 'octo/store')
    expect(readInput('repository', inputSpecs.repository)).toBe('octo/store')
    set('repository', 'octo')
    expect(() => readInput('repository', inputSpecs.repository)).toThrow(
      /expected a repository written "owner\/name"/
    )
  })
  it('requiredString: empty fails instead of defaulting', () => {
    expect(() => readInput('token', inputSpecs.requiredString)).toThrow(
      /Input "token": expected a non-empty value, got ""/
    )
  })
  it('boolean: true/false only, no silent coercion', () => {
    set('commit', 'False')
    expect(readInput('commit', inputSpecs.boolean)).toBe(false)
    set('commit', 'yes')
    expect(() => readInput('commit', inputSpecs.boolean)).toThrow(
      /expected true or false, got "yes"/
    )
  })
})
