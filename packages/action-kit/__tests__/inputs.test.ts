import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import {
  inputSpecs,
  jsonInput,
  listInput,
  oneOf,
  readInput,
  readInputs,
  readWorkspaceFile,
  relativeFilePath,
  wholeNumber
} from '../src/inputs.js'
import { setOutputs } from '../src/outputs.js'

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

describe('input spec factories', () => {
  it('wholeNumber: bounds, optional empty, and the wording of the range', () => {
    const count = wholeNumber({ min: 1, max: 10 })
    expect(count.expected).toBe('a whole number from 1 to 10')
    expect(count.schema.safeParse(' 10 ').data).toBe(10)
    expect(count.schema.safeParse('11').success).toBe(false)
    expect(count.schema.safeParse('').success).toBe(false)
    const length = wholeNumber({ min: 1, optional: true })
    expect(length.expected).toBe('a whole number ≥ 1, or empty')
    expect(length.schema.safeParse('').data).toBeUndefined()
    expect(length.schema.safeParse('-1').success).toBe(false)
  })
  it('oneOf: "A or B" for two values, "one of" for more, exact spelling only', () => {
    expect(oneOf(['full', 'incremental']).expected).toBe('full or incremental')
    expect(oneOf(['a', 'b', 'c']).expected).toBe('one of a, b, c')
    expect(oneOf(['a', 'b', 'c']).schema.safeParse(' b ').data).toBe('b')
    expect(oneOf(['a', 'b']).schema.safeParse('A').success).toBe(false)
  })
  it('jsonInput: empty is undefined; text that is not JSON, or of the wrong shape, fails', () => {
    const json = jsonInput('a JSON object', z.object({ n: z.number() }))
    expect(json.schema.safeParse('').data).toBeUndefined()
    expect(json.schema.safeParse('{"n": 1}').data).toEqual({ n: 1 })
    expect(json.schema.safeParse('{n: 1}').success).toBe(false)
    expect(json.schema.safeParse('{"n": "1"}').success).toBe(false)
  })
  it('relativeFilePath: no absolute path, no "..", no directory', () => {
    const path = relativeFilePath('a relative file path')
    expect(path.schema.safeParse('data/x.json').success).toBe(true)
    for (const bad of ['/etc/passwd', 'a/../../b', 'data/', ''])
      expect(path.schema.safeParse(bad).success).toBe(false)
  })
  it('listInput: commas or newlines, items trimmed, empty items dropped', () => {
    expect(listInput().schema.safeParse('a, b\n c,,\n').data).toEqual(['a', 'b', 'c'])
    expect(listInput().schema.safeParse('').data).toEqual([])
  })
  it('readInputs: reads in order and names the first bad input', () => {
    set('count', '3')
    set('mode', 'sideways')
    expect(() =>
      readInputs({
        count: ['count', wholeNumber({ min: 1 })],
        mode: ['mode', oneOf(['full', 'incremental'])]
      })
    ).toThrow(
      'Input "mode": expected full or incremental, got "sideways". Set "mode" to full or incremental in the step\'s "with:" block.'
    )
    set('mode', 'full')
    expect(
      readInputs({
        count: ['count', wholeNumber({ min: 1 })],
        mode: ['mode', oneOf(['full', 'incremental'])]
      })
    ).toEqual({ count: 3, mode: 'full' })
  })
  it('readWorkspaceFile: relative to GITHUB_WORKSPACE; a missing file names the input and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubstore-kit-'))
    writeFileSync(join(dir, 'm.json'), '{}')
    process.env.GITHUB_WORKSPACE = dir
    try {
      expect(await readWorkspaceFile('mapping', 'm.json', 'the mapping file', 'Fix it.')).toBe('{}')
      await expect(
        readWorkspaceFile('mapping', 'gone.json', 'the mapping file', 'Fix it.')
      ).rejects.toThrow('Input "mapping": cannot read the mapping file gone.json (ENOENT). Fix it.')
    } finally {
      delete process.env.GITHUB_WORKSPACE
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('setOutputs', () => {
  it('outputs: numbers and booleans as text, null and undefined as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubstore-kit-'))
    const file = join(dir, 'output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    try {
      setOutputs({ a: 1, b: true, c: null, d: undefined, e: 'x' })
      const text = readFileSync(file, 'utf8')
      const values = Object.fromEntries(
        [...text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]])
      )
      expect(values).toEqual({ a: '1', b: 'true', c: '', d: '', e: 'x' })
    } finally {
      delete process.env.GITHUB_OUTPUT
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
