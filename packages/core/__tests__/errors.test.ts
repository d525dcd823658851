import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DuplicateObjectIdError,
  GitHubRequestError,
  isHubstoreError,
  ObjectNotFoundError,
  type AnyHubstoreError
} from '../src/errors.js'
import { toGitHubRequestError } from '../src/github/request.js'

describe('errors', () => {
  it('errors: carry a literal code, a name, and facts as fields', () => {
    const error: AnyHubstoreError = new DuplicateObjectIdError('metrics', [3, 9])
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('DuplicateObjectIdError')
    expect(error.code).toBe('DUPLICATE_OBJECT_ID')
    if (error.code === 'DUPLICATE_OBJECT_ID') expect(error.issueNumbers).toEqual([3, 9])
    expect(error.message).toBe(
      'Object id "metrics" is used by 2 issues (#3, #9). Keep one: remove the stored-object label from the others (or label them archived).'
    )
  })

  it('isHubstoreError: recognises errors from any copy of core by a global symbol, not instanceof', () => {
    expect(isHubstoreError(new ObjectNotFoundError('x', 'o/r'))).toBe(true)
    expect(isHubstoreError(new Error('x'))).toBe(false)
    expect(isHubstoreError({ code: 'OBJECT_NOT_FOUND' })).toBe(false)
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('hubstore.error')]: true })
    expect(isHubstoreError(foreign)).toBe(true)
  })

  it('toGitHubRequestError: wraps an Octokit RequestError, keeping it as a non-enumerable cause and no token', () => {
    const requestError = Object.assign(new Error('Bad credentials'), {
      name: 'HttpError',
      status: 401,
      request: {
        method: 'GET',
        url: 'https://api.github.com/repos/o/r/issues?labels=a',
        headers: { authorization: 'token [REDACTED]' }
      },
      response: { data: { message: 'Bad credentials' } }
    })
    const wrapped = toGitHubRequestError('look up object "a"', requestError) as GitHubRequestError
    expect(wrapped.code).toBe('GITHUB_REQUEST_FAILED')
    expect(wrapped.status).toBe(401)
    expect(wrapped.request).toBe('GET /repos/o/r/issues')
    expect(wrapped.message).toBe(
      'GitHub request failed while trying to look up object "a": GET /repos/o/r/issues answered 401 (Bad credentials). Check that the token is valid and not expired.'
    )
    expect(wrapped.cause).toBe(requestError)
    expect(Object.keys(wrapped)).not.toContain('cause')
    expect(toGitHubRequestError('x', new TypeError('boom'))).toBeInstanceOf(TypeError)
  })

  it('GitHubRequestError: a 403 names the permission the request needs', () => {
    const hint = (request: string) => new GitHubRequestError('x', 403, request, undefined).message
    expect(hint('PUT /repos/o/r/contents/seq.json')).toContain('(contents: write)')
    expect(hint('GET /repos/o/r/git/ref/heads/main')).toContain('(contents: read)')
    expect(hint('POST /repos/o/r/issues/comments/1/reactions')).toContain('(issues: write)')
    expect(hint('DELETE /repos/o/r/actions/variables/A')).toContain(
      '(Variables: write, which GITHUB_TOKEN cannot have)'
    )
    expect(hint('GET /repos/o/r')).toContain('(metadata: read)')
  })

  it('GitHubRequestError: the 403 for a file over 1 MB blames the size, not a permission', () => {
    const message = new GitHubRequestError(
      'read seq.json',
      403,
      'GET /repos/o/r/contents/seq.json',
      'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API'
    ).message
    expect(message).toContain('read it with the raw media type')
    expect(message).not.toContain('permission')
  })
})

describe('package boundaries', () => {
  it('core: no source file imports @actions/*', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url))
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts')
    )
    expect(files.length).toBeGreaterThan(5)
    for (const file of files)
      expect(readFileSync(join(src, file), 'utf8')).not.toMatch(/from ['"]@actions\//)
  })
})
