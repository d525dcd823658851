import { describe, expect, test } from '@jest/globals'
import { client, failure, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'
import { branch, commitAs, coreUsed } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)
const reader = lazyClient(emulator, TOKENS.reader)

type Route =
  | 'GET /repos/{owner}/{repo}'
  | 'GET /repos/{owner}/{repo}/commits'
  | 'GET /repos/{owner}/{repo}/issues'
  | 'GET /repos/{owner}/{repo}/pulls'

describe('activity: conditional requests', () => {
  test('an unchanged listing answers 304 to If-None-Match and to If-Modified-Since, and /rate_limit is untouched', async () => {
    const r = await newRepo(emulator, 'act-cond')
    await octokit.rest.issues.create({ ...r, title: 'one' })
    await branch(octokit, r, 'topic')
    await commitAs(octokit, r, 't.txt', 't', { branch: 'topic' })
    await octokit.rest.pulls.create({ ...r, title: 'PR', head: 'topic', base: 'main' })
    const routes: Route[] = [
      'GET /repos/{owner}/{repo}',
      'GET /repos/{owner}/{repo}/commits',
      'GET /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/pulls'
    ]
    for (const route of routes) {
      const first = await reader.request(route, r)
      const etag = first.headers.etag!
      const modified = first.headers['last-modified']!
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/)
      expect(modified).toMatch(/ GMT$/)
      const used = await coreUsed(reader)
      const byTag = await failure(
        reader.request(route, { ...r, headers: { 'if-none-match': etag } })
      )
      expect([route, byTag.status]).toEqual([route, 304])
      const bySince = await failure(
        reader.request(route, { ...r, headers: { 'if-modified-since': modified } })
      )
      expect([route, bySince.status]).toEqual([route, 304])
      expect([route, await coreUsed(reader)]).toEqual([route, used])
    }
    const ledger = await emulator.admin.ledger()
    const notModified = ledger.filter((e) => e.notModified)
    expect(notModified).toHaveLength(routes.length * 2)
    expect(notModified.every((e) => e.status === 304)).toBe(true)
    // a 200 spends a request
    const used = await coreUsed(reader)
    await reader.request('GET /repos/{owner}/{repo}/issues', r)
    expect(await coreUsed(reader)).toBe(used + 1)
  })

  test('ETags are specific to the token; Last-Modified is not; a change answers 200 again', async () => {
    const r = await newRepo(emulator, 'act-cond-token')
    await octokit.rest.issues.create({ ...r, title: 'one' })
    const a = await reader.rest.issues.listForRepo(r)
    await emulator.admin.createToken({ token: 'tok-reader-2', login: 'reader', permission: 'read' })
    const second = client(emulator, 'tok-reader-2')
    const b = await second.rest.issues.listForRepo(r)
    expect(b.data).toEqual(a.data)
    expect(b.headers.etag).not.toBe(a.headers.etag)
    const used = await coreUsed(second)
    const other = await second.request('GET /repos/{owner}/{repo}/issues', {
      ...r,
      headers: { 'if-none-match': a.headers.etag! }
    })
    expect(other.status).toBe(200)
    expect(await coreUsed(second)).toBe(used + 1)
    const since = await failure(
      second.request('GET /repos/{owner}/{repo}/issues', {
        ...r,
        headers: { 'if-modified-since': a.headers['last-modified']! }
      })
    )
    expect(since.status).toBe(304)

    await emulator.admin.advanceClock(2000)
    await octokit.rest.issues.update({ ...r, issue_number: 1, title: 'changed' })
    const changed = await reader.request('GET /repos/{owner}/{repo}/issues', {
      ...r,
      headers: { 'if-modified-since': a.headers['last-modified']! }
    })
    expect(changed.status).toBe(200)
    expect(changed.data[0].title).toBe('changed')
    const retag = await reader.request('GET /repos/{owner}/{repo}/issues', {
      ...r,
      headers: { 'if-none-match': a.headers.etag! }
    })
    expect(retag.status).toBe(200)
  })
})
