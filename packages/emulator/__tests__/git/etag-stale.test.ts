import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { b64, type FileAnswer } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

describe('conditional requests and stale reads', () => {
  test('GET with If-None-Match: 304 without a body that does not count against the rate limit', async () => {
    const r = await newRepo(emulator, 'etag')
    const first = await octokit.rest.repos.getContent({ ...r, path: 'README.md' })
    const etag = first.headers.etag!
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/)
    const remaining = Number(first.headers['x-ratelimit-remaining'])
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const e = await failure(
        octokit.rest.repos.getContent({
          ...r,
          path: 'README.md',
          headers: { 'if-none-match': tag }
        })
      )
      expect(e.status).toBe(304)
      expect(Number(e.response.headers['x-ratelimit-remaining'])).toBe(remaining)
      expect(e.response.headers.etag).toBe(etag)
    }
    const raw = await fetch(`${emulator.url}/repos/${OWNER}/${r.repo}/contents/README.md`, {
      headers: { authorization: `token ${TOKENS.owner}`, 'if-none-match': etag }
    })
    expect(raw.status).toBe(304)
    expect(await raw.text()).toBe('')
    // a changed resource answers 200 with a new tag, and spends one request
    const changed = await octokit.rest.repos.getContent({
      ...r,
      path: 'README.md',
      headers: { 'if-none-match': '"stale"' }
    })
    expect(changed.status).toBe(200)
    expect(changed.headers.etag).toBe(etag)
    expect(Number(changed.headers['x-ratelimit-remaining'])).toBe(remaining - 1)
    // any GET route carries an ETag
    const issues = await octokit.rest.issues.listForRepo(r)
    expect(issues.headers.etag).toMatch(/^"[0-9a-f]{64}"$/)
    const ledger = await emulator.admin.ledger()
    expect(ledger.filter((l) => l.path.includes(r.repo) && l.status === 304)).toHaveLength(4)
  })

  test('repos/get-content in stale-read mode: a branch read serves the version from lag_ms ago; SHA reads are fresh', async () => {
    const r = await newRepo(emulator, 'stale')
    const full = `${OWNER}/${r.repo}`
    await emulator.admin.putFile(full, 's.json', 'v1')
    await emulator.admin.advanceClock(10_000)
    const v1 = (await octokit.rest.repos.getContent({ ...r, path: 's.json' }))
      .data as unknown as FileAnswer
    const put = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 's.json',
      message: 'v2',
      content: b64('v2'),
      sha: v1.sha
    })
    const text = async (ref?: string) => {
      const res = await octokit.rest.repos.getContent({
        ...r,
        path: 's.json',
        ...(ref ? { ref } : {})
      })
      return Buffer.from((res.data as unknown as FileAnswer).content, 'base64').toString()
    }
    expect(await text()).toBe('v2')
    await emulator.admin.setStaleReads(5_000)
    try {
      expect(await text()).toBe('v1')
      expect(await text('main')).toBe('v1')
      expect(await text(put.data.commit.sha!)).toBe('v2')
      // a PUT with the stale sha is refused: stale reads never cause lost updates
      const e = await failure(
        octokit.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 's.json',
          message: 'lost?',
          content: b64('v3'),
          sha: v1.sha
        })
      )
      expect(e.status).toBe(409)
      await emulator.admin.advanceClock(6_000)
      expect(await text()).toBe('v2')
    } finally {
      await emulator.admin.setStaleReads(0)
    }
    expect(await text()).toBe('v2')
  })
})
