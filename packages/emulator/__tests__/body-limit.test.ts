/**
 * Request bodies over the emulator's limit (docs/github-behaviour.md §11.3): 413 with GitHub's
 * front-end page, and the connection closed after at most the limit, so a huge body is never
 * read, let alone buffered. A small limit keeps the test fast; the code path is the shipped one.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { connect } from 'node:net'
import type { Emulator } from '../src/index.js'
import { client, failure, newRepo, startTestEmulator, TOKENS } from './support.js'

const LIMIT = 1_000_000
let emulator: Emulator

beforeAll(async () => {
  emulator = await startTestEmulator({ requestBodyMaxBytes: LIMIT })
})
afterAll(async () => emulator.close())

/**
 * Streams a chunked POST of up to `total` bytes over a raw socket, honouring back-pressure, and
 * returns what the server answered and how many body bytes the client managed to hand over.
 */
function streamBody(path: string, total: number): Promise<{ answer: string; sent: number }> {
  const { port } = new URL(emulator.url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    let sent = 0
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      resolve({ answer, sent })
    }
    socket.on('data', (d: Buffer) => (answer += d.toString()))
    socket.on('close', finish)
    socket.on('error', finish)
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const pump = (): void => {
      while (!socket.destroyed && sent < total) {
        sent += chunk.length
        const more = socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`)
        if (!more) return void socket.once('drain', pump)
      }
      if (!socket.destroyed) socket.end('0\r\n\r\n')
    }
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: token ${TOKENS.owner}\r\n` +
        'content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n'
    )
    pump()
  })
}

describe('server: request body limit', () => {
  test('git/create-blob: a body over the limit answers 413, through Octokit', async () => {
    const r = await newRepo(emulator, 'body-limit-octokit')
    const octokit = client(emulator, TOKENS.owner)
    const error = await failure(
      octokit.rest.git.createBlob({ ...r, content: 'a'.repeat(LIMIT + 1), encoding: 'utf-8' })
    )
    expect(error.status).toBe(413)
    expect(String(error.response?.data)).toContain('<title>413 Request Entity Too Large</title>')
    const fits = await octokit.rest.git.createBlob({ ...r, content: 'a'.repeat(1000) })
    expect(fits.status).toBe(201)
  })

  test('a 20× oversized streamed body: 413, the connection closed, at most the limit read', async () => {
    const r = await newRepo(emulator, 'body-limit-stream')
    await emulator.admin.clearLedger()
    const { answer, sent } = await streamBody(`/repos/${r.owner}/${r.repo}/git/blobs`, 20 * LIMIT)
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toMatch(/\r\nconnection: close\r\n/i)
    const [entry] = (await emulator.admin.ledger()).filter((e) => e.status === 413)
    // read: the limit plus at most one socket read past it (64 KiB) and the headers
    expect(entry?.bytesRead).toBeGreaterThan(LIMIT)
    expect(entry?.bytesRead).toBeLessThan(LIMIT + 128 * 1024)
    // the client could not hand over the rest: nobody was reading it
    expect(sent).toBeLessThan(20 * LIMIT)
  })

  test('a declared content-length over the limit is refused before any of the body is read', async () => {
    const r = await newRepo(emulator, 'body-limit-declared')
    await emulator.admin.clearLedger()
    const { port } = new URL(emulator.url)
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1')
      let text = ''
      socket.on('data', (d: Buffer) => (text += d.toString()))
      socket.on('close', () => resolve(text))
      socket.write(
        `POST /repos/${r.owner}/${r.repo}/git/blobs HTTP/1.1\r\nhost: x\r\n` +
          `content-type: application/json\r\ncontent-length: ${100 * LIMIT}\r\n\r\n`
      )
    })
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    const [entry] = (await emulator.admin.ledger()).filter((e) => e.status === 413)
    expect(entry?.bytesRead).toBeLessThan(1024) // the headers only
  })
})
