/**
 * Issue 12's kill -9 scenario (a worker process against the emulator): a backup killed at 20
 * points of its run, each time the previous backup restoring intact and the next one succeeding,
 * and a restore killed over a live directory leaving it as it was.
 *
 * The 20 kill points are shared by two test files (`data/kill.test.ts` takes the even ones,
 * `data/kill-second.test.ts` the odd ones and the killed restores), so that two Jest workers run
 * them side by side: in one file the 26 worker processes took up to ~50 s of a loaded two-core
 * machine. Each file has its own emulator and repository and counts its own backup's events.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath } from 'node:url'
import { backupDirectory, restoreDirectory } from '@hubstore/core/data'
import { bundleForChild } from '../../../../../test-support/bundle-for-child.js'
import { freshRepo, startWorld } from '../../support/emulator.js'
import { createChatDb, digestsOf, filesContaining, rowsDigest, scratch } from '../support.js'

const workerSource = fileURLToPath(new URL('./data-worker.ts', import.meta.url))
const root = fileURLToPath(new URL('../../../../../', import.meta.url))

interface Run {
  /** `SIGKILL` when the worker killed itself, null when it ended */
  signal: NodeJS.Signals | null
  events: number
  output: string
}

/** Rewrites a segment file and ~3 pages of the database: every backup has new chunks. */
function change(data: string, round: number) {
  writeFileSync(join(data, 'segment.bin'), randomBytes(200_000))
  const db = new DatabaseSync(join(data, 'chat.db'))
  for (const id of [1, 700, 1400])
    db.prepare('UPDATE messages SET body = ? WHERE id = ?').run(`r${round}`, id)
  db.close()
}

/**
 * The scenario's half `half` as one `describe`: half 0 kills the backup at the even-numbered of
 * the 20 points, half 1 at the odd-numbered ones and then kills 4 restores.
 */
export function describeKills(half: 0 | 1): void {
  const TOKEN = `ghp_kill9${randomBytes(16).toString('hex')}`
  let emulator: Emulator
  /** The worker bundled once (test-support/bundle-for-child.ts): each child starts in ~0.1 s. */
  let worker: string
  const work = scratch('data-kill')
  beforeAll(async () => {
    worker = bundleForChild(workerSource)
    emulator = await startWorld()
    await emulator.admin.createToken({ token: TOKEN, login: 'octocat', permission: 'admin' })
  })
  afterAll(async () => {
    await emulator.close()
    work.cleanup()
  })

  /**
   * A worker process started now (so its start overlaps the caller's checks): `go()` lets it run
   * until it ends or kills itself at event `killAt`.
   */
  function prepare(args: {
    mode: 'backup' | 'restore'
    dir: string
    repo: string
    killAt: number
    cache?: string
  }) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HUBSTORE_API_URL: emulator.url,
      GITHUB_TOKEN: TOKEN
    }
    delete env.NODE_OPTIONS
    const argv = [worker, args.mode, args.dir, args.repo, String(args.killAt)]
    if (args.cache) argv.push(args.cache)
    expect(argv.join(' ')).not.toContain(TOKEN)
    const child = spawn(process.execPath, argv, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const ready = once(createInterface({ input: child.stdout }), 'line')
    const ended = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
    return {
      go: async (): Promise<Run> => {
        await ready
        child.stdin.write('go\n')
        const [, signal] = await ended
        const last = output.trim().split('\n').at(-1) ?? ''
        const events = signal ? 0 : (JSON.parse(last) as { events: number }).events
        return { signal, events, output }
      }
    }
  }

  describe('data: kill -9 during backup and restore (a worker process against the emulator)', () => {
    const which = half === 0 ? 'the even 10' : 'the odd 10'
    const restoring = half === 1 ? '; killed during a restore: the live directory is as it was' : ''
    it(`killed at ${which} of 20 points of a backup: each time the previous backup restores intact and the next backup succeeds${restoring}`, async () => {
      const data = join(work.dir, 'data')
      mkdirSync(data, { recursive: true })
      createChatDb(join(data, 'chat.db'), 1500)
      writeFileSync(join(data, 'notes.csv'), 'a,b\n1,2\n')
      const repo = await freshRepo(emulator)
      const full = `${repo.owner}/${repo.repo}`
      const ctx = repo.as('octocat')
      const cache = join(work.dir, 'cache')
      let restores = 0
      const restoreLatest = async () => {
        const target = join(work.dir, `check-${++restores}`, 'data')
        await restoreDirectory(ctx, target, { cacheDir: cache })
        return { files: digestsOf(target), rows: rowsDigest(join(target, 'chat.db')) }
      }
      const current = () => ({ files: digestsOf(data), rows: rowsDigest(join(data, 'chat.db')) })
      const withoutDb = (s: { files: Map<string, string>; rows: unknown }) => ({
        files: [...s.files].filter(([p]) => !p.startsWith('chat.db')), // compared by rows
        rows: s.rows
      })

      await backupDirectory(ctx, data)

      // how many events one such backup has (one run to the end, not killed)
      change(data, 0)
      const counted = await prepare({ mode: 'backup', dir: data, repo: full, killAt: 0 }).go()
      expect(counted.signal).toBeNull()
      expect(counted.events).toBeGreaterThanOrEqual(20)
      let committed = withoutDb(current())
      const points = Array.from({ length: 20 }, (_, i) =>
        Math.max(1, Math.round(((i + 0.5) * counted.events) / 20))
      )
      expect(new Set(points).size).toBe(20)
      const mine = points.filter((_, i) => i % 2 === half)

      let next = prepare({ mode: 'backup', dir: data, repo: full, killAt: mine[0] })
      for (const [i, point] of mine.entries()) {
        change(data, i + 1)
        const run = await next.go()
        if (i + 1 < mine.length)
          next = prepare({ mode: 'backup', dir: data, repo: full, killAt: mine[i + 1] })
        expect({ point, signal: run.signal }).toEqual({ point, signal: 'SIGKILL' })
        expect(run.output).not.toContain(TOKEN)
        // a kill after the ref moved is a committed backup: the latest is then this one
        const latest = withoutDb(await restoreLatest())
        const now = withoutDb(current())
        expect([point, latest]).toEqual([point, latestIsOneOf(latest, committed, now)])
        await backupDirectory(ctx, data)
        committed = withoutDb(current())
        expect(withoutDb(await restoreLatest())).toEqual(committed)
      }
      if (half === 1) await killRestores()
      // every backup run to the end uploaded new chunks: the first, the counted one, one per kill
      // point and (half 1) the one before the killed restores (in one file: > 20 of 23)
      const completed = 2 + mine.length + half
      const usage = await emulator.admin.lfsUsage(full)
      expect(usage.objects).toBeGreaterThanOrEqual(completed)
      expect(filesContaining(work.dir, TOKEN)).toEqual([])

      /** kill -9 during a restore over a live directory: it stays as it was */
      async function killRestores() {
        const live = join(work.dir, 'live', 'data')
        await restoreDirectory(ctx, live, { cacheDir: join(work.dir, 'live-cache-0') })
        const before = digestsOf(live)
        change(data, 99)
        await backupDirectory(ctx, data)
        const whole = await prepare({
          mode: 'restore',
          dir: join(work.dir, 'count-restore'),
          repo: full,
          killAt: 0,
          cache: join(work.dir, 'count-cache')
        }).go()
        expect(whole.signal).toBeNull()
        const restorePoints = [0.1, 0.4, 0.7, 0.95].map((f) =>
          Math.max(1, Math.round(f * whole.events))
        )
        for (const [k, killAt] of restorePoints.entries()) {
          const run = await prepare({
            mode: 'restore',
            dir: live,
            repo: full,
            killAt,
            cache: join(work.dir, `live-cache-${k + 1}`)
          }).go()
          expect({ killAt, signal: run.signal }).toEqual({ killAt, signal: 'SIGKILL' })
          expect(digestsOf(live)).toEqual(before)
        }
      }
      // A hang guard, not a speed target: 26 worker processes one after another took 14–25 s
      // alone and up to ~50 s on a loaded two-core machine in one file, near Jest's 60 s default.
    }, 180_000)
  })
}

/** The restored state must be the last committed one, or (a kill after the commit) the new one. */
function latestIsOneOf<T>(latest: T, committed: T, now: T): T {
  return JSON.stringify(latest) === JSON.stringify(now) ? now : committed
}
