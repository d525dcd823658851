import { describe, expect, it } from '@jest/globals'
import { formatBytes, formatDuration, progressReporter } from '../src/progress.js'

const phases = [
  { phase: 'capture', done: 3, total: 3, bytes: 3 * 1024 * 1024, totalBytes: 3 * 1024 * 1024 },
  { phase: 'upload', done: 1, total: 2, bytes: 512 * 1024, totalBytes: 1024 * 1024 },
  { phase: 'upload', done: 2, total: 2, bytes: 1024 * 1024, totalBytes: 1024 * 1024 }
] as const

function sink(isTTY: boolean) {
  let text = ''
  return { stream: { isTTY, write: (s: string) => (text += s) }, text: () => text }
}

describe('data progress on stderr', () => {
  it('a terminal: one line redrawn with a bar, ended by a newline', () => {
    const s = sink(true)
    const p = progressReporter(true, s.stream) // a terminal shows progress even with --json
    for (const e of phases) p.onProgress?.(e)
    p.end()
    expect(s.text()).toBe(
      '\r\x1b[K[####################] captured 3/3 file(s), 3.0 MiB/3.0 MiB' +
        '\r\x1b[K[##########..........] uploaded 1/2 pack(s), 512.0 KiB/1.0 MiB' +
        '\r\x1b[K[####################] uploaded 2/2 pack(s), 1.0 MiB/1.0 MiB\n'
    )
  })
  it('not a terminal: one line per pack and per finished phase; nothing with --json', () => {
    const s = sink(false)
    const p = progressReporter(false, s.stream)
    for (const e of phases) p.onProgress?.(e)
    p.onProgress?.({ phase: 'write', done: 1, total: 3, bytes: 10, totalBytes: 30 })
    p.end()
    expect(s.text().split('\n')).toEqual([
      'hubstore: captured 3/3 file(s), 3.0 MiB/3.0 MiB',
      'hubstore: uploaded 1/2 pack(s), 512.0 KiB/1.0 MiB',
      'hubstore: uploaded 2/2 pack(s), 1.0 MiB/1.0 MiB',
      ''
    ])
    const quiet = sink(false)
    expect(progressReporter(true, quiet.stream).onProgress).toBeUndefined()
  })
  it('sizes in binary units, durations in ms, s or min', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 GiB'
    ])
    expect([300, 1000, 12_500, 1_800_000].map(formatDuration)).toEqual([
      '300 ms',
      '1 s',
      '12.5 s',
      '30 min'
    ])
  })
})
