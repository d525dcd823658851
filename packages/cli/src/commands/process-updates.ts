import { processOpenObjects, processUpdates, type ProcessResult } from '@hubstore/core'
import { loggedLeaseWaits, oneLine, sweepProgressLine } from '@hubstore/core/objects'
import { Option, type Command } from 'commander'
import { wholeNumber, printResult, storeContextFromFlags, type RepoFlags } from '../options.js'
import { storeOptions } from './objects.js'

/** `hubstore process-updates`: gh-store's command, plus a sweep of every open object. */
export function registerProcessUpdates(program: Command): void {
  storeOptions(
    program
      .command('process-updates')
      .description(
        'Apply the queued update comments of an object (--issue), or of every open object (a sweep), ' +
          'mark them +1 / confused and close the issues; a sweep prints a progress line per object on stderr.'
      )
      .addOption(
        new Option(
          '--issue <n>',
          "the object's issue number (default: every open object)"
        ).argParser(wholeNumber('--issue', 1))
      )
      .addOption(
        new Option(
          '--marking <how>',
          'how comments are marked: graphql (one request per 50) or rest'
        )
          .choices(['graphql', 'rest'])
          .default('graphql')
      )
  ).action(async (flags: RepoFlags & { issue?: number; marking: 'graphql' | 'rest' }) => {
    const ctx = storeContextFromFlags(flags)
    // Waits for another run's lease go to stderr, so --json output stays one document.
    const options = {
      marking: flags.marking,
      lease: loggedLeaseWaits((line) => ctx.log.info(line))
    }
    // A sweep's progress — a line once the objects are listed, then one per object — goes to
    // stderr; with --json only when a person watches (stderr is a terminal).
    const progress = !flags.json || Boolean(process.stderr.isTTY)
    const results: ProcessResult[] =
      flags.issue !== undefined
        ? [await processUpdates(ctx, flags.issue, options)]
        : await processOpenObjects(ctx, {
            ...options,
            ...(progress ? { onProgress: (p) => ctx.log.info(sweepProgressLine(p)) } : {})
          })
    printResult(flags, results, () =>
      results.length === 0
        ? 'No open objects: nothing to process.'
        : results
            .map((r) =>
              [
                `#${r.issueNumber} ${r.objectId}: ${r.applied.length} applied, ${r.rejected.length} rejected, ${r.requests} requests` +
                  (r.error ? ` — failed: ${r.error.code}: ${r.error.message}` : ''),
                ...r.rejected.map(
                  (x) => `  comment ${x.commentId} by ${x.author}: ${x.code} ${x.reason}`
                )
              ]
                // Run in a workflow step, a user string must not start a line (a workflow command).
                .map(oneLine)
                .join('\n')
            )
            .join('\n')
    )
    if (results.some((r) => r.error)) process.exitCode = 1
  })
}
