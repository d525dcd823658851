/**
 * gh-store's `config.yml` (docs/gh-store-format.md §5.3): parsing, validation with one clear
 * error per bad key, gh-store's defaults, and the resolved {@link StoreConfig} every objects
 * operation reads from `ctx.storeConfig` (the defaults when absent).
 */
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { InvalidStoreConfigError } from '../errors.js'
import type { RepoContext } from '../github/context.js'
import { LABELS, REACTIONS } from './constants.js'
import { LOG_LEVELS, logFormatProblem, type LogLevel } from './log.js'

/**
 * Which `meta.version` reads report (docs/gh-store-format.md §4.1): `hubstore` (the issue's
 * comment count, what `getObjectAt` rebuilds) or `gh-store` (what gh-store's Python package
 * reports: `get` = comments + 1, listings and snapshots 1).
 */
export type VersionNumbering = 'hubstore' | 'gh-store'

/** The two numberings of {@link VersionNumbering}. */
export const VERSION_NUMBERINGS = ['hubstore', 'gh-store'] as const

/** GitHub's reaction contents (REST names; docs/github-behaviour.md §3.7, gh-store §5.3). */
export const REACTION_CONTENTS = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes'
] as const

/** One of GitHub's eight reaction contents. */
export type ReactionContent = (typeof REACTION_CONTENTS)[number]

/** The resolved configuration of one store: gh-store's `store.*` keys, every one filled in. */
export interface StoreConfig {
  /** `store.base_label`: marks an active object (gh-store default `stored-object`) */
  baseLabel: string
  /** `store.uid_prefix`: the identity label is `<uidPrefix><object-id>` (default `UID:`) */
  uidPrefix: string
  reactions: {
    /** `store.reactions.processed` (or `store.processed_reaction`): marks an applied comment (`+1`) */
    processed: ReactionContent
    /** `store.reactions.initial_state`: added to the initial-state comment (`rocket`) */
    initialState: ReactionContent
  }
  retries: {
    /** `store.retries.max_attempts`: attempts per rate-limited request (3) */
    maxAttempts: number
    /** `store.retries.backoff_factor`: wait `backoff_factor ** attempt` seconds (2) */
    backoffFactor: number
  }
  rateLimit: {
    /** `store.rate_limit.max_requests_per_hour`: the client-side budget, requests per rolling hour (1000) */
    maxRequestsPerHour: number
  }
  log: {
    /** `store.log.level` (`INFO`): the least severe level printed (loguru's names, upper case) */
    level: LogLevel
    /** `store.log.format` (`{time} | {level} | {message}`), or `json`: one JSON object per line */
    format: string
  }
  /**
   * `hubstore.version_numbering` (`hubstore`): hubstore's own key, in a top-level `hubstore:`
   * mapping that gh-store's loader ignores (docs/gh-store-format.md §5.3).
   */
  versionNumbering: VersionNumbering
}

/** gh-store's packaged defaults (`gh_store/default_config.yml`, docs/gh-store-format.md §5.3). */
export const DEFAULT_STORE_CONFIG: StoreConfig = Object.freeze({
  baseLabel: LABELS.storedObject,
  uidPrefix: LABELS.uidPrefix,
  reactions: Object.freeze({
    processed: REACTIONS.processed,
    initialState: REACTIONS.initialState
  }),
  retries: Object.freeze({ maxAttempts: 3, backoffFactor: 2 }),
  rateLimit: Object.freeze({ maxRequestsPerHour: 1000 }),
  log: Object.freeze({ level: 'INFO', format: '{time} | {level} | {message}' }),
  versionNumbering: 'hubstore'
}) as StoreConfig

/** gh-store's default location of the file (`~/.config/gh-store/config.yml`, §5.3), under `home`. */
export function defaultConfigPath(home: string): string {
  return `${home.replace(/\/+$/, '')}/.config/gh-store/config.yml`
}

/** The store config of `ctx`: `ctx.storeConfig`, else gh-store's defaults. */
export function storeConfigOf(ctx: Pick<RepoContext, 'storeConfig'>): StoreConfig {
  return ctx.storeConfig ?? DEFAULT_STORE_CONFIG
}

const labelRule = (max: number) =>
  z
    .string({ error: `expected a non-empty string without a comma, at most ${max} characters` })
    .min(1, 'expected a non-empty string')
    .max(max, `expected at most ${max} characters (GitHub's label limit is 50)`)
    .refine((s) => !s.includes(','), 'expected no comma (label filters are comma-separated)')
    .refine((s) => s.trim() === s, 'expected no leading or trailing spaces')
const baseLabel = labelRule(50)
// leaves room for an object id of at least 10 characters in GitHub's 50
const uidPrefix = labelRule(40)
const reaction = z.enum(REACTION_CONTENTS, {
  error: `expected one of GitHub's reactions: ${REACTION_CONTENTS.join(' ')}`
})
const positiveInt = z
  .number({ error: 'expected a whole number ≥ 1' })
  .int('expected a whole number ≥ 1')
  .min(1, 'expected a whole number ≥ 1')
const logLevel = z
  .string({ error: `expected one of ${LOG_LEVELS.join(' ')}` })
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(' ')}` }))
const logFormat = z.string({ error: 'expected a string' }).superRefine((s, ctx) => {
  const problem = logFormatProblem(s)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
const section = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: 'expected a mapping of keys' }).optional()

const fileSchema = z.strictObject(
  {
    store: section({
      base_label: baseLabel.optional(),
      uid_prefix: uidPrefix.optional(),
      processed_reaction: reaction.optional(),
      reactions: section({ processed: reaction.optional(), initial_state: reaction.optional() }),
      retries: section({
        max_attempts: positiveInt.optional(),
        backoff_factor: z
          .number({ error: 'expected a number ≥ 1' })
          .min(1, 'expected a number ≥ 1')
          .optional()
      }),
      rate_limit: section({ max_requests_per_hour: positiveInt.optional() }),
      log: section({ level: logLevel.optional(), format: logFormat.optional() })
    }),
    hubstore: section({
      version_numbering: z
        .enum(VERSION_NUMBERINGS, { error: `expected one of ${VERSION_NUMBERINGS.join(' ')}` })
        .optional()
    })
  },
  { error: 'expected a mapping with a `store:` key (and an optional `hubstore:` one)' }
)

/**
 * Parses and validates the text of a gh-store `config.yml` and fills in gh-store's defaults.
 * Unknown keys are refused (a misspelt key would silently keep its default). An empty file is
 * all defaults. `store.processed_reaction` is accepted as another name of
 * `store.reactions.processed`; the two must agree. The processed reaction may not be `confused`,
 * which hubstore uses to mark rejected comments.
 *
 * @param source named in errors (a path)
 * @throws InvalidStoreConfigError (`INVALID_STORE_CONFIG`) naming the first bad key, what is
 *   wrong and the value expected.
 */
export function parseStoreConfig(yamlText: string, source = 'config.yml'): StoreConfig {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0)
    throw new InvalidStoreConfigError(
      source,
      '',
      `it is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); fix the syntax`,
      { cause: doc.errors[0] }
    )
  const raw: unknown = doc.toJS() ?? {}
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const path = issue.path.map(String)
    const key =
      issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!].join('.') : path.join('.')
    const problem =
      issue.code === 'unrecognized_keys'
        ? `it is not a ${path[0] === 'hubstore' ? 'hubstore' : 'gh-store'} key; remove it or correct its spelling (keys: ${knownKeys(path)})`
        : `${issue.message}; got ${describe(valueAt(raw, path))}`
    throw new InvalidStoreConfigError(source, key, problem)
  }
  const store = parsed.data.store ?? {}
  const d = DEFAULT_STORE_CONFIG
  const processed = store.reactions?.processed ?? store.processed_reaction
  if (
    store.processed_reaction !== undefined &&
    store.reactions?.processed !== undefined &&
    store.processed_reaction !== store.reactions.processed
  )
    throw new InvalidStoreConfigError(
      source,
      'store.processed_reaction',
      `it says ${store.processed_reaction} but store.reactions.processed says ${store.reactions.processed}; keep one of the two`
    )
  if (processed === REACTIONS.rejected)
    throw new InvalidStoreConfigError(
      source,
      store.reactions?.processed !== undefined
        ? 'store.reactions.processed'
        : 'store.processed_reaction',
      `confused marks rejected comments in hubstore; choose another of: ${REACTION_CONTENTS.filter((r) => r !== 'confused').join(' ')}`
    )
  return {
    baseLabel: store.base_label ?? d.baseLabel,
    uidPrefix: store.uid_prefix ?? d.uidPrefix,
    reactions: {
      processed: processed ?? d.reactions.processed,
      initialState: store.reactions?.initial_state ?? d.reactions.initialState
    },
    retries: {
      maxAttempts: store.retries?.max_attempts ?? d.retries.maxAttempts,
      backoffFactor: store.retries?.backoff_factor ?? d.retries.backoffFactor
    },
    rateLimit: {
      maxRequestsPerHour: store.rate_limit?.max_requests_per_hour ?? d.rateLimit.maxRequestsPerHour
    },
    log: { level: store.log?.level ?? d.log.level, format: store.log?.format ?? d.log.format },
    versionNumbering: parsed.data.hubstore?.version_numbering ?? d.versionNumbering
  }
}

/**
 * `config` as gh-store's `config.yml` text (the file `hubstore init` writes): every key, in
 * gh-store's packaged default's layout (§5.3).
 */
export function formatStoreConfig(config: StoreConfig = DEFAULT_STORE_CONFIG): string {
  const q = (s: string) => JSON.stringify(s)
  return [
    '# gh-store configuration (https://github.com/dmarx/gh-store), read by hubstore too.',
    'store:',
    `  base_label: ${q(config.baseLabel)}`,
    `  uid_prefix: ${q(config.uidPrefix)}`,
    '  reactions:',
    `    processed: ${q(config.reactions.processed)}`,
    `    initial_state: ${q(config.reactions.initialState)}`,
    '  retries:',
    `    max_attempts: ${config.retries.maxAttempts}`,
    `    backoff_factor: ${config.retries.backoffFactor}`,
    '  rate_limit:',
    `    max_requests_per_hour: ${config.rateLimit.maxRequestsPerHour}`,
    '  log:',
    `    level: ${q(config.log.level)}`,
    `    format: ${q(config.log.format)}`,
    // hubstore's own keys, only when not the default (gh-store ignores the mapping, §5.3)
    ...(config.versionNumbering !== DEFAULT_STORE_CONFIG.versionNumbering
      ? ['hubstore:', `  version_numbering: ${q(config.versionNumbering)}`]
      : []),
    ''
  ].join('\n')
}

const KNOWN: Record<string, string[]> = {
  '': ['store', 'hubstore'],
  hubstore: ['version_numbering'],
  store: [
    'base_label',
    'uid_prefix',
    'processed_reaction',
    'reactions',
    'retries',
    'rate_limit',
    'log'
  ],
  'store.reactions': ['processed', 'initial_state'],
  'store.retries': ['max_attempts', 'backoff_factor'],
  'store.rate_limit': ['max_requests_per_hour'],
  'store.log': ['level', 'format']
}

function knownKeys(path: string[]): string {
  return (KNOWN[path.join('.')] ?? []).join(', ')
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value
  )
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null (an empty value)'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

/** The label vocabulary of a store: gh-store's `LABELS`, with the configured base label and prefix. */
export type StoreLabels = { -readonly [K in keyof typeof LABELS]: string }

/** The labels `config` gives (docs/gh-store-format.md §1.1, §5.3). */
export function storeLabels(config: StoreConfig = DEFAULT_STORE_CONFIG): StoreLabels {
  return { ...LABELS, storedObject: config.baseLabel, uidPrefix: config.uidPrefix }
}

/** The labels of `ctx`'s store (`ctx.storeConfig`, else gh-store's defaults). */
export function labelsOf(ctx: Pick<RepoContext, 'storeConfig'>): StoreLabels {
  return storeLabels(storeConfigOf(ctx))
}

/**
 * The client budget `config` sets (`store.rate_limit.max_requests_per_hour`), for
 * `createGitHubClient({ budget })`: the client then stops before the request that would exceed
 * it (`RequestBudgetExceededError`).
 */
export function requestBudgetOf(
  config: StoreConfig,
  now?: () => number
): { maxRequestsPerHour: number; now?: () => number } {
  return { maxRequestsPerHour: config.rateLimit.maxRequestsPerHour, ...(now ? { now } : {}) }
}

/**
 * The client options `config` sets, for `createGitHubClient({ ...clientOptionsOf(config) })`:
 * the request budget ({@link requestBudgetOf}) and gh-store's retry policy
 * (docs/gh-store-format.md §5.3.1): `store.retries.max_attempts` attempts per request in all
 * (so `max_attempts − 1` retries of plugin-retry), waiting `backoff_factor ** n` seconds before
 * retry n + 1 (1 s, then 2 s with the defaults; scaled by the client's `retryAfterBaseMs`).
 */
export function clientOptionsOf(
  config: StoreConfig,
  now?: () => number
): {
  budget: { maxRequestsPerHour: number; now?: () => number }
  retry: { retries: number; backoffFactor: number }
} {
  return {
    budget: requestBudgetOf(config, now),
    retry: { retries: config.retries.maxAttempts - 1, backoffFactor: config.retries.backoffFactor }
  }
}
