import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as core from '../src/index.js'
import * as errors from '../src/errors.js'
import * as automationState from '@hubstore/core/automation-state'
import * as branchStore from '@hubstore/core/branch-store'
import * as data from '@hubstore/core/data'
import * as github from '@hubstore/core/github'
import * as objects from '@hubstore/core/objects'
import * as sequence from '@hubstore/core/sequence'
import * as snapshot from '@hubstore/core/snapshot'

const SUBPATHS = { automationState, branchStore, data, github, objects, sequence, snapshot }

describe('public API of @hubstore/core', () => {
  it('the root exports at most 60 runtime names', () => {
    expect(Object.keys(core).length).toBeLessThanOrEqual(60)
  })

  it('the root exports every error class of the catalogue, and isHubstoreError', () => {
    const classes = Object.entries(errors).filter(
      ([, value]) =>
        typeof value === 'function' &&
        (value === errors.HubstoreError || value.prototype instanceof errors.HubstoreError)
    )
    expect(classes.length).toBeGreaterThan(30)
    for (const [name, value] of classes)
      expect({ name, exported: (core as Record<string, unknown>)[name] === value }).toEqual({
        name,
        exported: true
      })
    expect(core.isHubstoreError).toBe(errors.isHubstoreError)
  })

  it('every subpath resolves and exports names the root does not', () => {
    for (const [subpath, names] of Object.entries(SUBPATHS)) {
      expect({ subpath, count: Object.keys(names).length > 0 }).toEqual({ subpath, count: true })
      for (const name of Object.keys(names))
        expect({ subpath, name, atRoot: name in core }).toEqual({ subpath, name, atRoot: false })
    }
  })

  it('no source file re-exports with export *', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url))
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts')
    )
    for (const file of files)
      expect({
        file,
        exportStar: /^export \*/m.test(readFileSync(join(src, file), 'utf8'))
      }).toEqual({ file, exportStar: false })
  })
})
