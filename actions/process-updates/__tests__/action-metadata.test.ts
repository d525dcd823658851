import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'

const meta = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('inputs: names match src/constants.ts and each has a description', () => {
    expect(Object.keys(meta.inputs).sort()).toEqual(Object.values(Inputs).sort())
    for (const spec of Object.values(meta.inputs))
      expect(spec.description.length).toBeGreaterThan(10)
  })
  it('outputs: names match src/constants.ts and each has a description', () => {
    expect(Object.keys(meta.outputs).sort()).toEqual(Object.values(Outputs).sort())
    for (const spec of Object.values(meta.outputs))
      expect(spec.description.length).toBeGreaterThan(10)
  })
  it('runs: node24 on the committed bundle', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: '../../dist/process-updates/index.js' })
  })
  it('token: defaults to the workflow token', () => {
    expect(meta.inputs[Inputs.Token]?.default).toBe('${{ github.token }}')
    expect(meta.inputs[Inputs.Repository]?.default).toBe('${{ github.repository }}')
  })
})
