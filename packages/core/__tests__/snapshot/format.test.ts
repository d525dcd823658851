import { describe, expect, it } from '@jest/globals'
import { type Snapshot } from '../../src/index.js'
import { mergeIssues } from '../../src/snapshot/build.js'
import { githubTimeToPython, pythonIsoformat } from '../../src/snapshot/format.js'
import { parseSnapshot, serializeSnapshot, snapshotObjects } from '../../src/snapshot/index.js'
import type { IssueLike } from '../../src/objects/issues.js'

const issue = (n: number, id: string, extra: Partial<IssueLike> = {}): IssueLike => ({
  number: n,
  title: `Stored Object: ${id}`,
  body: JSON.stringify({ n }),
  state: 'closed',
  labels: ['gh-store', 'stored-object', `UID:${id}`],
  created_at: '2025-01-16T06:56:05Z',
  updated_at: '2025-01-16T06:57:35Z',
  comments: 2,
  ...extra
})
const OPTIONS = { repository: 'o/r', snapshotTime: '2025-02-01T00:00:00.000000+00:00' }

describe('snapshot format', () => {
  it('pythonIsoformat / githubTimeToPython: Python isoformat with +00:00', () => {
    expect(pythonIsoformat(new Date('2025-01-18T00:37:15.812Z'))).toBe(
      '2025-01-18T00:37:15.812000+00:00'
    )
    expect(githubTimeToPython('2025-01-16T06:56:05Z')).toBe('2025-01-16T06:56:05+00:00')
  })

  it('parseSnapshot: reads a January-2025 gh-store snapshot whose meta has no issue_number / object_id', () => {
    const text = JSON.stringify({
      snapshot_time: '2025-01-18T00:37:15.812276+00:00',
      repository: 'dmarx/papers-feed',
      objects: {
        'arxiv.2401': {
          data: { title: 'x' },
          meta: {
            created_at: '2025-01-16T06:56:05+00:00',
            updated_at: '2025-01-16T06:57:35+00:00',
            version: 1
          }
        }
      }
    })
    expect(parseSnapshot(text, 'f').objects.get('arxiv.2401')?.meta).toEqual({
      issue_number: 0,
      object_id: 'arxiv.2401',
      created_at: '2025-01-16T06:56:05+00:00',
      updated_at: '2025-01-16T06:57:35+00:00',
      version: 1
    })
  })

  it.each([
    ['not json', '', /not JSON/],
    ['{"repository":"x","objects":{}}', 'snapshot_time', /expected string/],
    ['{"snapshot_time":"yesterday","repository":"x","objects":{}}', 'snapshot_time', /ISO 8601/],
    [
      '{"snapshot_time":"2025-01-01T00:00:00Z","repository":"x","objects":{"a":{"meta":{}}}}',
      'objects.a.data',
      /./
    ]
  ])('parseSnapshot: refuses %j with INVALID_SNAPSHOT naming the field', (text, field, message) => {
    try {
      parseSnapshot(text, 'snap.json')
      throw new Error('no error')
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_SNAPSHOT', field })
      expect((error as Error).message).toMatch(message)
    }
  })

  it('serializeSnapshot: gh-store’s key order, relationships only when there are aliases', () => {
    const snapshot: Snapshot = {
      snapshot_time: 't',
      repository: 'o/r',
      objects: new Map(),
      relationships: { aliases: {} }
    }
    expect(serializeSnapshot(snapshot)).toBe(
      '{\n  "snapshot_time": "t",\n  "repository": "o/r",\n  "objects": {}\n}'
    )
  })
})

describe('mergeIssues', () => {
  it('mergeIssues: full — closed objects newest issue first (gh-store’s order; behaviour change: oldest first before), open ones keep their previous entry, duplicates keep the oldest', () => {
    const first = mergeIssues(undefined, [issue(2, 'b'), issue(1, 'a'), issue(3, 'a')], {
      mode: 'full',
      ...OPTIONS
    })
    expect([...first.snapshot.objects.keys()]).toEqual(['b', 'a'])
    expect(snapshotObjects(first.snapshot).a.meta).toMatchObject({ issue_number: 1, version: 2 })
    expect(first.report.duplicates).toEqual([{ objectId: 'a', issueNumbers: [1, 3] }])
    const second = mergeIssues(
      first.snapshot,
      [issue(1, 'a'), issue(2, 'b', { state: 'open', body: '{"n":99}' })],
      {
        mode: 'full',
        ...OPTIONS,
        snapshotTime: 'later'
      }
    )
    expect(second.snapshot).toBe(first.snapshot) // nothing changed: same object, no write
    expect(second.report.pendingIds).toEqual(['b'])
  })

  it('mergeIssues: incremental — replaces changed, removes archived/deprecated (only their own issue), adds aliases', () => {
    const base = mergeIssues(undefined, [issue(1, 'a'), issue(2, 'b'), issue(3, 'c')], {
      mode: 'full',
      ...OPTIONS
    }).snapshot
    const next = mergeIssues(
      base,
      [
        issue(1, 'a', { body: '{"n":10}', comments: 3 }),
        issue(2, 'b', { labels: ['archived', 'gh-store', 'UID:b'] }),
        issue(9, 'c', { labels: ['archived', 'gh-store', 'UID:c'] }),
        issue(4, 'd', { labels: ['gh-store', 'stored-object', 'UID:d', 'ALIAS-TO:a'] })
      ],
      { mode: 'incremental', ...OPTIONS, snapshotTime: 'later' }
    )
    expect(next.report).toMatchObject({
      changedIds: ['a', 'd'],
      removedIds: ['b'],
      relationshipsChanged: true
    })
    expect(snapshotObjects(next.snapshot).a.data).toEqual({ n: 10 })
    expect(snapshotObjects(next.snapshot).c).toEqual(snapshotObjects(base).c)
    // gh-store's update-snapshot keeps the file's order and appends new ids (§3.2)
    expect([...next.snapshot.objects.keys()]).toEqual(['c', 'a', 'd'])
    expect(next.snapshot.relationships).toEqual({ aliases: { d: 'a' } })
    expect(next.snapshot.snapshot_time).toBe('later')
  })
})
