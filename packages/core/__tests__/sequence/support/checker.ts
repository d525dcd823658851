/**
 * Checks a recorded history of concurrent increments against the file's commit history.
 *
 * A fetch-and-add counter is linearizable when there is one total order of the operations that
 * (1) gives each operation the block the sequential counter would give it, and (2) respects real
 * time: if A responded before B was invoked, A comes first. With unique, consecutive blocks the
 * only candidate order is "by first number", so the check is: blocks are disjoint, the commits
 * chain (each starts where the previous ended: no lost update), every returned block is the
 * committed block with the same claim nonce, and for every pair with A.response < B.invoke,
 * A.last < B.first. Committed blocks nobody received are gaps; each must belong to an operation
 * that ended in an error (it may take effect at any time after its invocation).
 */
import type { TortureOp } from './torture-worker.js'

/** One increment commit, oldest first: `Increment <key>: <old> → <new>` + `Hubstore-Claim`. */
export interface CommittedBlock {
  sha: string
  old: number
  new: number
  nonce?: string
}

export interface CheckReport {
  operations: number
  succeeded: number
  failed: Record<string, number>
  numbersHandedOut: number
  duplicates: number[]
  /** returned blocks with no commit carrying the same numbers and nonce */
  notInHistory: Array<{ first: number; last: number; nonce?: string }>
  /** commits whose `old` is not the previous commit's `new` */
  chainBreaks: Array<{ sha: string; expectedOld: number; old: number }>
  /** pairs (A before B in real time) where A's numbers are not below B's */
  linearizabilityViolations: Array<{ a: TortureOp; b: TortureOp }>
  gaps: Array<{ first: number; last: number; nonce?: string; explanation: string }>
  unexplainedGaps: number
  finalValue: number
  maxHandedOut: number
}

export function checkHistory(
  ops: TortureOp[],
  commits: CommittedBlock[],
  finalValue: number,
  initialValue: number
): CheckReport {
  const ok = ops.filter((o) => o.first !== undefined && o.last !== undefined)
  const failed: Record<string, number> = {}
  for (const o of ops) if (o.error) failed[o.error.code] = (failed[o.error.code] ?? 0) + 1

  const seen = new Map<number, number>()
  for (const o of ok)
    for (let n = o.first as number; n <= (o.last as number); n++)
      seen.set(n, (seen.get(n) ?? 0) + 1)
  const duplicates = [...seen].filter(([, c]) => c > 1).map(([n]) => n)

  const chainBreaks: CheckReport['chainBreaks'] = []
  let expected = initialValue
  for (const c of commits) {
    if (c.old !== expected) chainBreaks.push({ sha: c.sha, expectedOld: expected, old: c.old })
    expected = c.new
  }

  const byFirst = new Map(commits.map((c) => [c.old + 1, c]))
  const notInHistory = ok
    .filter((o) => {
      const c = byFirst.get(o.first as number)
      return !c || c.new !== o.last || c.nonce !== o.nonce
    })
    .map((o) => ({ first: o.first as number, last: o.last as number, nonce: o.nonce }))

  const returned = new Set(ok.map((o) => o.nonce))
  const failures = new Map(ops.filter((o) => o.error?.nonce).map((o) => [o.error?.nonce, o]))
  const gaps = commits
    .filter((c) => !returned.has(c.nonce))
    .map((c) => {
      const owner = c.nonce ? failures.get(c.nonce) : undefined
      return {
        first: c.old + 1,
        last: c.new,
        nonce: c.nonce,
        explanation: owner
          ? `worker ${owner.worker} gave up with ${owner.error?.code} after this write's answer was lost`
          : ''
      }
    })

  // Failed operations whose write landed take part in real-time order too.
  const landed: TortureOp[] = []
  for (const g of gaps) {
    const owner = g.nonce ? failures.get(g.nonce) : undefined
    if (owner) landed.push({ ...owner, first: g.first, last: g.last, response: Infinity })
  }
  const all = [...ok, ...landed].sort((x, y) => x.invoke - y.invoke)
  const linearizabilityViolations: CheckReport['linearizabilityViolations'] = []
  for (const a of all)
    for (const b of all)
      if (a !== b && a.response < b.invoke && !((a.last as number) < (b.first as number)))
        linearizabilityViolations.push({ a, b })

  return {
    operations: ops.length,
    succeeded: ok.length,
    failed,
    numbersHandedOut: seen.size,
    duplicates,
    notInHistory,
    chainBreaks,
    linearizabilityViolations,
    gaps,
    unexplainedGaps: gaps.filter((g) => !g.explanation).length,
    finalValue,
    maxHandedOut: Math.max(initialValue, ...ok.map((o) => o.last as number))
  }
}
