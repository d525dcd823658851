import { describe, expect, it } from '@jest/globals'
import { InvalidOptionsError, SequenceContentionError } from '@hubstore/core'
import { Command } from 'commander'
import { reportError, UsageError } from '../src/errors.js'
import {
  durationFlag,
  repoContextFromFlags,
  repoOptions,
  repositoryFromFlags
} from '../src/options.js'

describe('repo options', () => {
  it('repoOptions: adds --repo, --token (with the process-list warning), --api-url and --json', () => {
    const help = repoOptions(new Command('x')).helpInformation()
    expect(help).toMatch(/--repo <owner\/name>[\s\S]*--token <token>[\s\S]*--api-url <url>/)
    expect(help).toContain('--json')
    expect(help.replace(/\s+/g, ' ')).toContain(
      'prefer $GITHUB_TOKEN: a flag is visible in the process list and shell history'
    )
  })

  it('repoContextFromFlags: flags win over the environment; the API root comes from --api-url', () => {
    const env = { GITHUB_REPOSITORY: 'env/repo', GITHUB_TOKEN: 'env-token' }
    const ctx = repoContextFromFlags(
      { repo: 'flag/repo', token: 'flag-token', apiUrl: 'http://127.0.0.1:1/api' },
      env
    )
    expect([ctx.owner, ctx.repo]).toEqual(['flag', 'repo'])
    expect(ctx.octokit.request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:1/api')
    const fromEnv = repoContextFromFlags({}, { ...env, GITHUB_API_URL: 'http://127.0.0.1:2' })
    expect([fromEnv.owner, fromEnv.repo]).toEqual(['env', 'repo'])
    expect(fromEnv.octokit.request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:2')
  })

  it('repoContextFromFlags: one UsageError names everything missing', () => {
    let error: unknown
    try {
      repoContextFromFlags({}, {})
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toBe(
      'Say which repository: --repo owner/name (or set GITHUB_REPOSITORY). No GitHub token. ' +
        'Set GITHUB_TOKEN (or pass --token) to a token for the repository (for the emulator, ' +
        'a token made with hubstore emulator --token).'
    )
    expect(() => repoContextFromFlags({ repo: 'no-slash', token: 't' }, {})).toThrow(
      '--repo takes owner/name, got "no-slash".'
    )
    expect(() => repositoryFromFlags({}, { GITHUB_REPOSITORY: '' })).toThrow(
      'Say which repository: --repo owner/name (or set GITHUB_REPOSITORY).'
    )
  })
})

describe('reportError', () => {
  const report = (error: unknown) => {
    let text = ''
    const code = reportError(error, (s) => (text += s))
    return { code, text }
  }

  it('reportError: a usage error is one line, exit 2', () => {
    expect(report(new UsageError('Pass --version or --at, not both.'))).toEqual({
      code: 2,
      text: 'hubstore: Pass --version or --at, not both.\n'
    })
  })

  it('reportError: a core user error is one line with its code, exit 2', () => {
    const r = report(new InvalidOptionsError('path', 'a relative file path', '../x'))
    expect(r.code).toBe(2)
    expect(r.text).toMatch(/^hubstore: INVALID_OPTIONS: Option path must be a relative file path/)
    expect(r.text.split('\n')).toHaveLength(2)
  })

  it('reportError: an expected system error (lost races) is one line with its code, exit 1', () => {
    const r = report(new SequenceContentionError('x', 'o/r:seq.json', 10, 1234, '409'))
    expect(r.code).toBe(1)
    expect(r.text).toMatch(/^hubstore: SEQUENCE_CONTENTION: Could not increment "x"/)
    expect(r.text.split('\n')).toHaveLength(2)
  })

  it('reportError: anything else (a bug) prints the stack, exit 1', () => {
    const r = report(new TypeError('boom'))
    expect(r.code).toBe(1)
    expect(r.text).toMatch(/^hubstore: unexpected failure\nTypeError: boom/)
    expect(r.text).toContain('    at ')
  })
})

describe('client flags', () => {
  it('--request-timeout and --max-rate-limit-wait take seconds or a unit, in ms', () => {
    expect(durationFlag('--request-timeout')('30')).toBe(30_000)
    expect(durationFlag('--request-timeout')('500ms')).toBe(500)
    expect(durationFlag('--max-rate-limit-wait')('5m')).toBe(300_000)
    expect(() => durationFlag('--request-timeout')('-1')).toThrow(
      '--request-timeout takes a whole number of seconds (30), or with a unit: 500ms, 30s, 5m, got "-1".'
    )
  })

  it('--api-url and GITHUB_API_URL must be http(s) URLs, named in the error with the value', () => {
    const flags = { repo: 'o/r', token: 't' }
    expect(() => repoContextFromFlags({ ...flags, apiUrl: 'notaurl' }, {})).toThrow(
      '--api-url "notaurl" is not a URL: give the REST API root as an http(s) URL, e.g. https://api.github.com or https://HOST/api/v3.'
    )
    expect(() => repoContextFromFlags(flags, { GITHUB_API_URL: 'ftp://x' })).toThrow(
      /^GITHUB_API_URL "ftp:\/\/x" uses ftp, not http or https/
    )
  })
})
