import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0])

/** Node 24 is the baseline (the Actions runtime `node24`); scripts/node24.mjs provides it. */
describe('runtime', () => {
  it('the test run is on Node 24 or newer, in process and for every child `node` on PATH', () => {
    expect(major(process.version)).toBeGreaterThanOrEqual(24)
    const child = spawnSync('node', ['--version'], { encoding: 'utf8' })
    expect(child.status).toBe(0)
    expect(major(child.stdout.trim())).toBeGreaterThanOrEqual(24)
    console.log(`node --version: ${child.stdout.trim()}`)
  })

  it('node:sqlite is there with the online backup API (SQLite ≥ 3.51.3)', async () => {
    const sqlite = await import('node:sqlite')
    expect(typeof sqlite.DatabaseSync).toBe('function')
    expect(typeof sqlite.backup).toBe('function')
    const db = new sqlite.DatabaseSync(':memory:')
    const { version } = db.prepare('select sqlite_version() as version').get() as {
      version: string
    }
    db.close()
    const [a, b, c] = version.split('.').map(Number)
    expect(a * 1_000_000 + b * 1_000 + c).toBeGreaterThanOrEqual(3_051_003)
  })
})
