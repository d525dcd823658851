/**
 * `hubstore objects alias|aliases|find-duplicates|dedupe|deprecate`: gh-store's canonicalize
 * tools (`python -m gh_store.tools.canonicalize`, docs/gh-store-format.md §1.6 and §5.1) as
 * subcommands of `objects`, writing the same labels. The writing ones take `--dry-run` (every
 * read and check, no write); the reading ones write nothing anyway.
 */
import {
  createAlias,
  deduplicateAll,
  deduplicateObject,
  deprecateObject,
  DEPRECATION_REASONS,
  findAliases,
  findDuplicates,
  type DeduplicationResult,
  type DeprecationReason,
  type DeprecationResult
} from '@hubstore/core/objects'
import { Option, type Command } from 'commander'
import {
  configOption,
  printResult,
  repoOptions,
  storeContextFromFlags,
  type StoreFlags
} from '../options.js'

const storeOptions = (command: Command) =>
  configOption(repoOptions(command, 'the repository holding the objects'))

type WriteFlags = StoreFlags & { dryRun?: boolean }

const DRY_RUN = 'do every read and check, write nothing; print what would be done'

/** `(dry run) ` before a human line when nothing was written. */
const dry = (dryRun: boolean) => (dryRun ? '(dry run, nothing written) ' : '')

function describeDeprecation(r: DeprecationResult): string {
  return (
    `${dry(r.dryRun)}issue #${r.sourceIssue} (${r.sourceObjectId}) ${r.dryRun ? 'would be' : 'is'} ` +
    `deprecated in favour of #${r.targetIssue} (${r.targetObjectId}), reason ${r.reason}; ` +
    `labels: ${r.labels.join(', ')}`
  )
}

function describeDeduplication(r: DeduplicationResult): string[] {
  if (r.duplicatesProcessed === 0) return [`${r.objectId}: no duplicates`]
  return [
    `${r.objectId}: keeping issue #${r.canonicalIssue} (the oldest)`,
    ...r.results.map((d) => `  ${describeDeprecation(d)}`)
  ]
}

/** Registers the canonicalize subcommands on the `objects` command. */
export function registerCanonical(objects: Command): void {
  storeOptions(
    objects
      .command('alias')
      .description(
        "Make an object an alias of another: the label ALIAS-TO:<canonical> on the alias's issue (gh-store's create-alias)."
      )
      .argument('<alias>', 'the object id that becomes the alias (it keeps its issue and data)')
      .argument('<canonical>', 'the object id it points to')
      .option('--dry-run', DRY_RUN)
  ).action(async (alias: string, canonical: string, flags: WriteFlags) => {
    const result = await createAlias(storeContextFromFlags(flags), alias, canonical, {
      dryRun: flags.dryRun === true
    })
    printResult(
      flags,
      result,
      () =>
        `${dry(result.dryRun)}${alias} (issue #${result.sourceIssue}) ${result.dryRun ? 'would be' : 'is'} ` +
        `an alias of ${canonical} (issue #${result.targetIssue}): label ${result.label}`
    )
  })

  storeOptions(
    objects
      .command('aliases')
      .description(
        'List aliases: every object carrying an ALIAS-TO: label, or only those pointing to one object (gh-store find_aliases).'
      )
      .argument('[canonical]', 'only the aliases whose ALIAS-TO: label names this object id')
  ).action(async (canonical: string | undefined, flags: StoreFlags) => {
    const found = await findAliases(storeContextFromFlags(flags), canonical)
    const aliases = Object.entries(found).map(([objectId, targetId]) => ({ objectId, targetId }))
    printResult(flags, { aliases }, () =>
      aliases.length === 0
        ? 'No aliases.'
        : aliases.map((a) => `${a.objectId} → ${a.targetId}`).join('\n')
    )
  })

  storeOptions(
    objects
      .command('find-duplicates')
      .description(
        "List object ids carried by more than one active issue, oldest issue first (gh-store's find-duplicates)."
      )
  ).action(async (flags: StoreFlags) => {
    const duplicates = await findDuplicates(storeContextFromFlags(flags))
    printResult(flags, { duplicates }, () =>
      duplicates.length === 0
        ? 'No duplicate ids.'
        : duplicates
            .map((d) => `${d.objectId}: issues ${d.issueNumbers.map((n) => `#${n}`).join(', ')}`)
            .join('\n')
    )
  })

  storeOptions(
    objects
      .command('dedupe')
      .description(
        "Keep the oldest issue of a duplicated id and deprecate the others in its favour, reason duplicate (gh-store's deduplicate)."
      )
      .argument('[object-id]', 'only this id (default: every duplicated id)')
      .option('--dry-run', DRY_RUN)
  ).action(async (id: string | undefined, flags: WriteFlags) => {
    const ctx = storeContextFromFlags(flags)
    const options = { dryRun: flags.dryRun === true }
    const results =
      id === undefined
        ? await deduplicateAll(ctx, options)
        : [await deduplicateObject(ctx, id, options)]
    printResult(flags, { dryRun: options.dryRun, results }, () =>
      results.length === 0 ? 'No duplicate ids.' : results.flatMap(describeDeduplication).join('\n')
    )
  })

  storeOptions(
    objects
      .command('deprecate')
      .description(
        "Deprecate an object in favour of another: it loses stored-object and gains deprecated-object, MERGED-INTO: and DEPRECATED-BY: (gh-store's deprecate)."
      )
      .argument('<object-id>', 'the object id to deprecate')
      .requiredOption('--into <object-id>', 'the object id that replaces it')
      .addOption(
        new Option('--reason <reason>', "why (gh-store's DeprecationReason)")
          .choices([...DEPRECATION_REASONS])
          .default('duplicate')
      )
      .option('--dry-run', DRY_RUN)
  ).action(async (id: string, flags: WriteFlags & { into: string; reason: DeprecationReason }) => {
    const result = await deprecateObject(
      storeContextFromFlags(flags),
      id,
      flags.into,
      flags.reason,
      {
        dryRun: flags.dryRun === true
      }
    )
    printResult(flags, result, () => describeDeprecation(result))
  })
}
