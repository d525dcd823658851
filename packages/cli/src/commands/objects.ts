import { writeFile } from 'node:fs/promises'
import {
  createObject,
  deleteObject,
  getObject,
  getObjectAt,
  getObjectHistory,
  listObjects,
  updateObject,
  type ListProgress,
  type StoredObject
} from '@hubstore/core'
import {
  fromPlainJson,
  getCanonicalObject,
  JsonTextError,
  listUpdatedSince,
  numberingOf,
  parseJson,
  serializeJson,
  settleOpenVersions,
  type JsonMap,
  type JsonValue
} from '@hubstore/core/objects'
import { Command, Option } from 'commander'
import { UsageError } from '../errors.js'
import {
  configOption,
  wholeNumber,
  printResult,
  storeContextFromFlags,
  repoOptions,
  versionNumberingOption,
  type RepoFlags,
  type StoreFlags
} from '../options.js'
import { registerCanonical } from './canonical.js'

/** Adds the repository options, described for commands on gh-store objects. */
export function storeOptions(command: Command): Command {
  return configOption(repoOptions(command, 'the repository holding the objects'))
}

/**
 * Parses a JSON object argument, keeping its key order and refusing numbers a double cannot hold
 * (naming the path). @throws UsageError
 */
export function parseJsonObject(text: string, what: string): JsonMap {
  let value: JsonValue
  try {
    value = parseJson(text)
  } catch (error) {
    if (!(error instanceof JsonTextError)) throw error
    if (error.problem !== 'syntax') throw new UsageError(`${what}: ${error.message}.`)
    throw new UsageError(`${what} must be JSON, e.g. '{"count": 1}' (${error.message}).`)
  }
  if (!(value instanceof Map))
    throw new UsageError(`${what} must be a JSON object, e.g. '{"count": 1}'.`)
  return value
}

/** A progress line on stderr for long listings (every page on a terminal, else every 10 pages). */
export function progressLine(_flags: RepoFlags): (p: ListProgress) => void {
  const tty = Boolean(process.stderr.isTTY)
  return (p) => {
    if (tty) process.stderr.write(`\r… ${p.issues} issues listed (${p.pages} pages)`)
    else if (p.pages % 10 === 0)
      process.stderr.write(`… ${p.issues} issues listed (${p.pages} pages)\n`)
  }
}

function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
}

/**
 * An object as `--json` prints it: `{objectId, issueNumber, state, createdAt, updatedAt,
 * version, data}` (camelCase like every `--json` output), as exact JSON text: the data's keys in
 * stored order, Python's `json.dumps` form (docs/gh-store-format.md §1.8).
 */
function describeObject(object: StoredObject): JsonMap {
  const value: JsonMap = new Map<string, JsonValue>([
    ['objectId', object.meta.objectId],
    ['issueNumber', object.meta.issueNumber],
    ['state', object.meta.state],
    ['createdAt', object.meta.createdAt],
    ['updatedAt', object.meta.updatedAt],
    ['version', object.meta.version],
    ['data', parseJson(object.json)]
  ])
  return value
}

/** Prints exact JSON text with `--json`, else the human form. */
function printExact(flags: RepoFlags, value: JsonValue, human: () => string): void {
  process.stdout.write(`${flags.json ? serializeJson(value) : human()}\n`)
}

/** Writes exact JSON text to `file`, or prints it (it is the `--json` form too). */
async function outputText(file: string | undefined, flags: RepoFlags, text: string) {
  if (file) {
    await writeFile(file, `${text}\n`)
    if (!flags.json) process.stdout.write(`Wrote ${file}\n`)
    else printResult(flags, { output: file }, () => '')
  } else process.stdout.write(`${text}\n`)
}

async function output(
  file: string | undefined,
  flags: RepoFlags,
  value: unknown,
  human: () => string
) {
  if (file) {
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`)
    if (!flags.json) process.stdout.write(`Wrote ${file}\n`)
    else printResult(flags, { output: file }, () => '')
  } else printResult(flags, value, human)
}

/** `hubstore objects create|get|update|delete|history|list`: gh-store's CLI, object by object. */
export function registerObjects(program: Command): void {
  const objects = program
    .command('objects')
    .description(
      'Read and write gh-store objects (JSON kept in issues): create, get, update, delete, history, list; aliases, duplicates and deprecation.'
    )

  storeOptions(
    objects
      .command('create')
      .description('Create an object: an issue holding the JSON, an initial-state comment, closed.')
      .argument('<object-id>', 'the id (at most 46 characters; becomes the label UID:<id>)')
      .argument('<json>', 'the data, a JSON object, e.g. \'{"count": 0}\'')
      .option('--labels <a,b>', 'extra labels for the issue, comma-separated')
  ).action(async (id: string, json: string, flags: RepoFlags & { labels?: string }) => {
    const ctx = storeContextFromFlags(flags)
    const extraLabels = flags.labels
      ?.split(',')
      .map((l) => l.trim())
      .filter(Boolean)
    const created = await createObject(ctx, id, parseJsonObject(json, '<json>'), { extraLabels })
    printExact(
      flags,
      describeObject(created),
      () => `Created object ${id} (issue #${created.meta.issueNumber})`
    )
  })

  const get = storeOptions(
    objects
      .command('get')
      .description(
        "Print an object's data (open or closed), or a past version of it; --json adds its id, issue, state, times and version."
      )
      .argument('<object-id>', 'the object id (its label is UID:<id>)')
      .addOption(
        new Option('--version <n>', 'rebuild version n (1 = as created)').argParser(
          wholeNumber('--version', 1)
        )
      )
      .option('--at <date>', 'rebuild the object as it was at this ISO 8601 date')
      .option(
        '--canonical',
        "follow ALIAS-TO: labels to the canonical object and fold in the updates queued on it and its aliases that processing would apply (gh-store's virtual merge, authorised authors only)"
      )
      .option('-o, --output <file>', 'write the JSON to a file instead of printing it')
  )
  versionNumberingOption(get).action(
    async (
      id: string,
      flags: StoreFlags & { version?: number; at?: string; output?: string; canonical?: boolean }
    ) => {
      const ctx = storeContextFromFlags(flags)
      if (flags.version !== undefined && flags.at !== undefined)
        throw new UsageError('Pass --version or --at, not both.')
      if (
        flags.versionNumbering !== undefined &&
        (flags.canonical || flags.version !== undefined || flags.at !== undefined)
      )
        throw new UsageError(
          '--version-numbering applies to the current object only: drop --version/--at/--canonical, or --version-numbering.'
        )
      if (flags.canonical && (flags.version !== undefined || flags.at !== undefined))
        throw new UsageError('--canonical shows the current canonical object: drop --version/--at.')
      if (flags.canonical) {
        const view = await getCanonicalObject(ctx, id)
        const record = describeObject(view.object)
        for (const key of ['requestedId', 'canonicalId', 'aliases', 'folded', 'ignored'] as const)
          record.set(key, fromPlainJson(view[key], 10))
        await outputText(flags.output, flags, flags.json ? serializeJson(record) : view.object.json)
        return
      }
      if (flags.version !== undefined || flags.at !== undefined) {
        const at = await getObjectAt(
          ctx,
          id,
          flags.version !== undefined ? { version: flags.version } : { date: flags.at as string }
        )
        if (flags.json) await output(flags.output, flags, at, () => '')
        else await outputText(flags.output, flags, at.json)
        return
      }
      const numbering = flags.versionNumbering
      const object = await getObject(ctx, id, { versionNumbering: numbering })
      // The record's version, like `objects list`'s, leaves queued updates out (hubstore's numbering).
      if (flags.json && numberingOf(ctx, numbering) === 'hubstore')
        await settleOpenVersions(ctx, [object])
      await outputText(
        flags.output,
        flags,
        flags.json ? serializeJson(describeObject(object)) : object.json
      )
    }
  )

  storeOptions(
    objects
      .command('update')
      .description(
        'Queue an update: a comment with the changes, and the issue reopened (process-updates applies it).'
      )
      .argument('<object-id>', 'the object id')
      .argument(
        '<json>',
        'the changes, a JSON object deep-merged into the object, e.g. \'{"count": 1}\''
      )
      .option('--replace', 'make the JSON the whole new state instead of merging it')
  ).action(async (id: string, json: string, flags: RepoFlags & { replace?: boolean }) => {
    const ctx = storeContextFromFlags(flags)
    const queued = await updateObject(ctx, id, parseJsonObject(json, '<json>'), {
      mode: flags.replace ? 'replace' : 'append'
    })
    printResult(
      flags,
      queued,
      () =>
        `Queued an update of object ${id}: comment ${queued.commentId} on issue #${queued.issueNumber}` +
        (queued.reopened
          ? ', issue reopened; process-updates applies it'
          : ' (could not reopen the issue: run process-updates)')
    )
  })

  storeOptions(
    objects
      .command('delete')
      .description(
        "Delete (archive) an object: gh-store's convention, the issue closed and labelled archived."
      )
      .argument('<object-id>', 'the object id')
  ).action(async (id: string, flags: RepoFlags) => {
    const deleted = await deleteObject(storeContextFromFlags(flags), id)
    printResult(
      flags,
      deleted,
      () => `Deleted object ${id} (issue #${deleted.issueNumber} archived)`
    )
  })

  storeOptions(
    objects
      .command('history')
      .description(
        "List an object's changes: initial state and updates, with status, author and time."
      )
      .argument('<object-id>', 'the object id')
      .option('-o, --output <file>', 'write the JSON to a file instead of printing it')
  ).action(async (id: string, flags: RepoFlags & { output?: string }) => {
    const history = await getObjectHistory(storeContextFromFlags(flags), id)
    await output(flags.output, flags, history.entries, () =>
      history.entries
        .map(
          (e) =>
            `v${String(e.version).padEnd(4)} ${e.timestamp}  ${e.type.padEnd(13)} ${e.status.padEnd(8)} ` +
            `${(e.author ?? '?').padEnd(12)} ${JSON.stringify(e.data)}`
        )
        .join('\n')
    )
  })

  const list = storeOptions(
    objects
      .command('list')
      .description(
        'List every object (every page); archived ones and unreadable bodies are reported, not listed.'
      )
      .option('--since <date>', 'only objects whose issue changed after this ISO 8601 date')
      .addOption(
        new Option('--state <state>', 'issue state: all, closed (idle) or open (updates queued)')
          .choices(['all', 'open', 'closed'])
          .default('all')
      )
  )
  versionNumberingOption(list).action(
    async (flags: StoreFlags & { since?: string; state: 'all' | 'open' | 'closed' }) => {
      const ctx = storeContextFromFlags(flags)
      const options = {
        state: flags.state,
        onProgress: progressLine(flags),
        versionNumbering: flags.versionNumbering
      }
      const listing = flags.since
        ? await listUpdatedSince(ctx, flags.since, options)
        : await listObjects(ctx, options)
      endProgress()
      printExact(
        flags,
        new Map<string, JsonValue>([
          ['objects', listing.objects.map(describeObject)],
          ['skipped', fromPlainJson(listing.skipped, 10)],
          ['duplicates', fromPlainJson(listing.duplicates, 10)],
          ['aliases', fromPlainJson(listing.aliases, 10)]
        ]),
        () =>
          [
            ...listing.objects.map(
              (o) =>
                `${o.meta.objectId.padEnd(24)} #${o.meta.issueNumber} v${o.meta.version} ${o.meta.state}`
            ),
            `${listing.objects.length} object(s)`,
            ...listing.skipped.map((s) => `skipped #${s.issueNumber} (${s.reason}): ${s.message}`),
            ...listing.duplicates.map(
              (d) =>
                `duplicate id ${d.objectId}: issues ${d.issueNumbers.map((n) => `#${n}`).join(', ')}`
            )
          ].join('\n')
      )
    }
  )

  registerCanonical(objects)
}
