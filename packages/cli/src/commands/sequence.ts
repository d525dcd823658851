import { SequenceStore, type SeriesKind, type SeriesOptions } from '@hubstore/core'
import { SERIES_KINDS } from '@hubstore/core/sequence'
import { Command, Option } from 'commander'
import {
  wholeNumber,
  printResult,
  repoContextFromFlags,
  repoOptions,
  repositoryPathFlag,
  type RepoFlags
} from '../options.js'

/** Flags every `sequence` subcommand takes. */
interface FileFlags extends RepoFlags {
  path: string
  branch?: string
}

/** Flags choosing the key: series, financial year start, time zone. */
interface SeriesFlags {
  series: SeriesKind
  fiscalYearStartMonth: number
  timeZone: string
}

function fileOptions(command: Command): Command {
  return repoOptions(command, 'the repository holding the file')
    .option(
      '-p, --path <file>',
      'the JSON file in the repository',
      repositoryPathFlag('--path'),
      'sequence_data.json'
    )
    .option('-b, --branch <name>', "the file's branch (default: the repository's default branch)")
}

function seriesOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--series <kind>', 'one key per period: <name>/FY2025-26 or <name>/2026')
        .choices([...SERIES_KINDS])
        .default('none')
    )
    .option(
      '--fiscal-year-start-month <month>',
      'first month (1-12) of the financial year',
      wholeNumber('--fiscal-year-start-month', 1),
      4
    )
    .option('--time-zone <iana>', 'time zone in which month and year are read', 'UTC')
}

/** The store a command works on (see {@link repoContextFromFlags}). @throws {UsageError} */
export function storeFromFlags(
  flags: FileFlags,
  env: NodeJS.ProcessEnv = process.env
): SequenceStore {
  return new SequenceStore({
    ...repoContextFromFlags(flags, env),
    path: flags.path,
    ...(flags.branch ? { branch: flags.branch } : {})
  })
}

function series(flags: SeriesFlags): SeriesOptions {
  return {
    series: flags.series,
    fiscalYearStartMonth: flags.fiscalYearStartMonth,
    timeZone: flags.timeZone
  }
}

/** `hubstore sequence increment|peek|set|list`: numbers from a JSON file in a repository. */
export function registerSequence(program: Command): void {
  const sequence = program
    .command('sequence')
    .description(
      'Hand out consecutive, never-duplicated numbers from a JSON file in a repository (sequence_data.json), one compare-and-swap commit per increment.'
    )
    .addHelpText(
      'after',
      `
The token comes from $GH_TOKEN or $GITHUB_TOKEN (or --token), the API from --api-url or $GITHUB_API_URL.
Examples:
  hubstore sequence increment akdchydnch_seq --repo octocat/books
  hubstore sequence increment dc --series fiscal-year --format 'DC/{fy_short}/{value:04}' --time-zone Asia/Kolkata
  hubstore sequence increment invoice --count 100 --json
  hubstore sequence peek akdchydnch_seq
  hubstore sequence set akdchydnch_seq 500
  hubstore sequence list`
    )

  seriesOptions(
    fileOptions(
      sequence
        .command('increment')
        .description('Reserve the next number (or --count numbers) and print it.')
        .argument('<name>', 'the sequence name, e.g. akdchydnch_seq')
        .option(
          '-n, --count <n>',
          'how many consecutive numbers, in one commit',
          wholeNumber('--count', 1),
          1
        )
        .option(
          '--initial-value <n>',
          'value of a sequence that does not exist yet (first number = this + 1)',
          wholeNumber('--initial-value', 0),
          0
        )
        .option(
          '-f, --format <template>',
          'e.g. AKDC/{fy_short}/{value:04}; tokens {value} {value:0N} {fy} {fy_short} {year} {name}'
        )
        .option(
          '--max-length <n>',
          'longest formatted number (default 16 with --format)',
          wholeNumber('--max-length', 1)
        )
        .option(
          '--idempotency-key <key>',
          'the same key returns the same numbers instead of new ones'
        )
        .option(
          '--max-attempts <n>',
          'attempts when other writers keep winning',
          wholeNumber('--max-attempts', 1),
          10
        )
    )
  ).action(
    async (
      name: string,
      opts: FileFlags &
        SeriesFlags & {
          count: number
          initialValue: number
          format?: string
          maxLength?: number
          idempotencyKey?: string
          maxAttempts: number
        }
    ) => {
      const store = storeFromFlags(opts)
      const r = await store.increment({
        name,
        count: opts.count,
        initialValue: opts.initialValue,
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        ...(opts.maxLength !== undefined ? { maxLength: opts.maxLength } : {}),
        ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
        retry: { maxAttempts: opts.maxAttempts },
        ...series(opts)
      })
      const numbers = r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`
      const formatted = r.formatted
        ? ` (${r.formatted.first}${r.first === r.last ? '' : ` … ${r.formatted.last}`})`
        : ''
      // the claim's nonce is an internal detail (a commit trailer), not part of the result
      const shown: Partial<typeof r> = { ...r }
      delete shown.nonce
      printResult(
        opts,
        shown,
        `${r.key} ${numbers}${formatted}: ${r.reused ? 'already claimed by this key' : `commit ${r.commitSha}`}, ` +
          `${r.attempts} attempt(s), ${r.requests} request(s)`
      )
    }
  )

  seriesOptions(
    fileOptions(
      sequence
        .command('peek')
        .description('Print the current value and the next number, without writing.')
        .argument('<name>', 'the sequence name')
        .option(
          '--initial-value <n>',
          'assumed value of a sequence that does not exist yet',
          wholeNumber('--initial-value', 0),
          0
        )
        .option('-f, --format <template>', 'show the next number through this template')
    )
  ).action(
    async (
      name: string,
      opts: FileFlags & SeriesFlags & { initialValue: number; format?: string }
    ) => {
      const store = storeFromFlags(opts)
      const p = await store.peek({
        name,
        initialValue: opts.initialValue,
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        ...series(opts)
      })
      printResult(
        opts,
        p,
        `${p.key} = ${p.value ?? '(not started)'}; next ${p.next}${p.formattedNext ? ` (${p.formattedNext})` : ''}`
      )
    }
  )

  seriesOptions(
    fileOptions(
      sequence
        .command('set')
        .description(
          'Correct the current value (the next increment returns <value> + 1), as one commit.'
        )
        .argument('<name>', 'the sequence name')
        .argument('<value>', 'the new current value', wholeNumber('<value>', 0))
    )
  ).action(async (name: string, value: number, opts: FileFlags & SeriesFlags) => {
    const store = storeFromFlags(opts)
    const r = await store.set({ name, value, ...series(opts) })
    if (r.previous !== null && value < r.previous && !opts.json)
      process.stderr.write(
        `hubstore: warning: ${r.key} went down from ${r.previous} to ${value}; numbers ${value + 1}–${r.previous} will be handed out again.\n`
      )
    printResult(
      opts,
      r,
      `set ${r.key}: ${r.previous ?? '(none)'} → ${r.value}` +
        (r.commitSha ? ` (commit ${r.commitSha})` : ' (nothing to change)')
    )
  })

  fileOptions(sequence.command('list').description('Print every sequence in the file.')).action(
    async (opts: FileFlags) => {
      const store = storeFromFlags(opts)
      const l = await store.list()
      const names = Object.keys(l.sequences)
      const width = Math.max(4, ...names.map((n) => n.length))
      printResult(
        opts,
        l,
        l.blobSha === null
          ? `${store.file}: no file yet`
          : [
              `${store.file}: ${names.length} sequence(s), last updated ${l.lastUpdated ?? '?'}`,
              ...names.map((n) => `  ${n.padEnd(width)}  ${l.sequences[n]}`)
            ].join('\n')
      )
    }
  )
}
