import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import {
  directoryStatus,
  listBackups,
  retryDelayMs,
  watchDirectory,
  type WatchEvent
} from '@hubstore/core/data'
import { freshRepo, startWorld } from '../support/emulator.js'
import { createChatDb, scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-watch')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

describe('watchDirectory', () => {
  it('retry delays double from the base and stop at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000
    ])
  })

  it('backs up only on change, backs off on failure, and makes one last backup on abort', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const dir = join(work.dir, 'app')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'notes.csv'), 'a,b\n1,2\n')
    const controller = new AbortController()
    const events: WatchEvent[] = []
    const delays: number[] = []
    // each wait is one step of the script: time is a parameter, nothing sleeps
    const steps: Array<() => void> = [
      () => undefined, // after the first backup: nothing changes
      () => writeFileSync(join(dir, 'notes.csv'), 'a,b\n1,2\n3,4\n'),
      () => symlinkSync('/etc/passwd', join(dir, 'link')), // every check now fails
      () => undefined,
      () => {
        rmSync(join(dir, 'link'))
        writeFileSync(join(dir, 'extra.bin'), Buffer.alloc(5000, 7))
        controller.abort()
      }
    ]
    const summary = await watchDirectory(ctx, dir, {
      intervalMs: 1_800_000,
      retryBaseMs: 1000,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
      wait: async (ms) => {
        delays.push(ms)
        steps.shift()?.()
      }
    })
    expect(
      events.map(
        (e) => `${e.type}${e.final ? ' final' : ''}${e.type === 'failed' ? ` ${e.retryInMs}` : ''}`
      )
    ).toEqual(['backup', 'unchanged', 'backup', 'failed 1000', 'failed 2000', 'backup final'])
    expect(delays).toEqual([1_800_000, 1_800_000, 1_800_000, 1000, 2000])
    expect(summary).toMatchObject({ checks: 6, backups: 3, failures: 2 })
    const failed = events.find((e) => e.type === 'failed')
    expect((failed as { error: { code?: string } }).error.code).toBe('DATA_CAPTURE_FAILED')
    const { backups } = await listBackups(ctx)
    expect(backups).toHaveLength(3)
    expect(backups[0]?.id).toBe(summary.final?.backupId)
    expect((await directoryStatus(ctx, dir)).changed).toBe(false)
  })

  it('a commit that only reached the -wal file counts as a change', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const dir = join(work.dir, 'wal')
    mkdirSync(dir, { recursive: true })
    createChatDb(join(dir, 'chat.db'), 50)
    const controller = new AbortController()
    const events: WatchEvent[] = []
    let db: DatabaseSync | undefined
    const steps: Array<() => void> = [
      () => {
        db = new DatabaseSync(join(dir, 'chat.db'))
        db.exec('PRAGMA wal_autocheckpoint = 0')
        db.prepare('INSERT INTO messages (body) VALUES (?)').run('a new message')
        controller.abort()
      }
    ]
    await watchDirectory(ctx, dir, {
      intervalMs: 60_000,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
      wait: async () => steps.shift()?.()
    })
    db?.close()
    expect(events.map((e) => e.type)).toEqual(['backup', 'backup'])
  })

  it('an interval under 100 ms is refused before any request (a check costs 3)', async () => {
    const { as } = await freshRepo(emulator)
    await expect(
      watchDirectory(as('octocat'), work.dir, {
        intervalMs: 0,
        signal: new AbortController().signal
      })
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', option: 'intervalMs' })
  })

  it('a directory that does not exist is never backed up (an empty backup would hide the last one)', async () => {
    const { as } = await freshRepo(emulator)
    const ctx = as('octocat')
    const controller = new AbortController()
    const events: WatchEvent[] = []
    const summary = await watchDirectory(ctx, join(work.dir, 'absent'), {
      intervalMs: 1000,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
      wait: async () => controller.abort()
    })
    expect(events).toEqual([
      { type: 'missing', final: false },
      { type: 'missing', final: true }
    ])
    expect(summary).toEqual({ checks: 2, backups: 0, failures: 0, final: null })
    expect((await listBackups(ctx)).backups).toEqual([])
  })
})
