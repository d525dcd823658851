import { describe, expect, test } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { TOKENS, useTestEmulator } from '../support.js'
import { basicAuth, newGitRepo } from './support.js'

const LFS = 'application/vnd.git-lfs+json'
const emulator = useTestEmulator()

function oidOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

async function batch(url: string, operation: 'upload' | 'download', bytes: Buffer[]) {
  const res = await fetch(`${url}/info/lfs/objects/batch`, {
    method: 'POST',
    headers: { accept: LFS, 'content-type': LFS, authorization: basicAuth(TOKENS.owner) },
    body: JSON.stringify({
      operation,
      transfers: ['basic'],
      objects: bytes.map((b) => ({ oid: oidOf(b), size: b.length }))
    })
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function put(url: string, bytes: Buffer) {
  const res = await fetch(`${url}/info/lfs/objects/${oidOf(bytes)}`, {
    method: 'PUT',
    headers: { authorization: basicAuth(TOKENS.owner) },
    body: bytes
  })
  expect(res.status).toBe(200)
}

async function get(url: string, bytes: Buffer) {
  const res = await fetch(`${url}/info/lfs/objects/${oidOf(bytes)}`, {
    headers: { authorization: basicAuth(TOKENS.owner) }
  })
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
}

describe('Git LFS accounting and quotas', () => {
  test('GET /_emulator/repos/{owner}/{repo}/lfs counts objects, stored, uploaded and downloaded bytes', async () => {
    const r = await newGitRepo(emulator, 'lfs-acct')
    const full = `${r.owner}/${r.repo}`
    expect(await emulator.admin.lfsUsage(full)).toEqual({
      objects: 0,
      stored_bytes: 0,
      uploaded_bytes: 0,
      downloaded_bytes: 0,
      storage_quota_bytes: null,
      bandwidth_quota_bytes: null
    })
    const a = randomBytes(1000)
    const b = randomBytes(2500)
    await put(r.url, a)
    await put(r.url, b)
    await get(r.url, a)
    await get(r.url, a)
    expect(await emulator.admin.lfsUsage(full)).toMatchObject({
      objects: 2,
      stored_bytes: 3500,
      uploaded_bytes: 3500,
      downloaded_bytes: 2000
    })
  })

  test('a storage quota: an upload batch that would pass it answers 403 "over its data quota"; stored objects still batch', async () => {
    const r = await newGitRepo(emulator, 'lfs-quota')
    const full = `${r.owner}/${r.repo}`
    const a = randomBytes(600)
    await put(r.url, a)
    await emulator.admin.setLfsQuota(full, { storage_bytes: 1000 })
    const over = await batch(r.url, 'upload', [randomBytes(500)])
    expect(over.status).toBe(403)
    expect(over.body.message).toBe(
      'This repository is over its data quota. Account responsible for LFS bandwidth should purchase more data packs to restore access.'
    )
    // what is already stored needs no storage: the batch answers (no upload action)
    const known = await batch(r.url, 'upload', [a])
    expect(known.status).toBe(200)
    expect(await batch(r.url, 'upload', [randomBytes(400)])).toMatchObject({ status: 200 })
    await emulator.admin.setLfsQuota(full, { storage_bytes: null })
    expect(await batch(r.url, 'upload', [randomBytes(500)])).toMatchObject({ status: 200 })
  })

  test('a bandwidth quota: once the downloaded bytes reach it, download batches answer 403', async () => {
    const r = await newGitRepo(emulator, 'lfs-bw')
    const full = `${r.owner}/${r.repo}`
    const a = randomBytes(800)
    await put(r.url, a)
    await emulator.admin.setLfsQuota(full, { bandwidth_bytes: 1000 })
    expect((await batch(r.url, 'download', [a])).status).toBe(200)
    await get(r.url, a)
    expect((await batch(r.url, 'download', [a])).status).toBe(200)
    await get(r.url, a)
    const over = await batch(r.url, 'download', [a])
    expect(over.status).toBe(403)
    expect(String(over.body.message)).toContain('over its data quota')
    expect((await emulator.admin.lfsUsage(full)).downloaded_bytes).toBe(1600)
  })
})
