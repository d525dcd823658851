/** Builds the storage adapter the settings ask for. */
import { contextNow, type RepoContext } from '../../github/context.js'
import { BranchStore, type BranchStoreOptions } from '../../branch-store/branch-store.js'
import {
  AccountConfigSchema,
  AlbumMetadataSchema,
  FailedFileSchema,
  PostsFileSchema
} from '../models.js'
import { RepositoryVariables } from '../variables.js'
import type { StateStorageAdapter } from './adapter.js'
import { AutoStateAdapter } from './auto-adapter.js'
import { GitStateAdapter } from './git-adapter.js'
import { stateStorageConfigFromEnv, type StateStorageConfig } from './settings.js'
import { VariablesStateAdapter } from './variables-adapter.js'

/** Options of {@link createStateStorage}: settings override the environment. */
export interface CreateStateStorageOptions extends Partial<StateStorageConfig> {
  /** Environment to read settings from (default `process.env`; `{}` to ignore it). */
  env?: Record<string, string | undefined>
  /** Branch store tuning (transport, retries, branch creation). */
  store?: Omit<BranchStoreOptions, 'branch' | 'schemas'>
  /** Told about fallbacks and failed mirror writes (default: nothing). */
  onWarning?: (message: string) => void
}

/** The schemas of the automation layout, for {@link BranchStore}. */
export const AUTOMATION_STATE_SCHEMAS = {
  '*-account/album-*/posts.json': PostsFileSchema,
  '*-account/album-*/failed.json': FailedFileSchema,
  '*-account/album-*/metadata.json': AlbumMetadataSchema,
  '*-account/global/config.json': AccountConfigSchema
}

/**
 * Builds the adapter the settings ask for (environment first, then `options`), and with
 * `validateOnStartup` checks it can reach its backends before returning.
 *
 * @throws StateStorageConfigError for a bad setting or a failed startup check.
 */
export async function createStateStorage(
  ctx: RepoContext,
  options: CreateStateStorageOptions = {}
): Promise<StateStorageAdapter & { config: StateStorageConfig }> {
  const { env, store, onWarning, ...overrides } = options
  const config: StateStorageConfig = {
    ...stateStorageConfigFromEnv(env ?? process.env),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  }
  const now = () => contextNow(ctx).toISOString()
  const git = () =>
    new GitStateAdapter(
      new BranchStore(ctx, { ...store, branch: config.branch, schemas: AUTOMATION_STATE_SCHEMAS }),
      {
        enhancedMetadata: config.enhancedMetadata,
        now
      }
    )
  const legacy = () => new VariablesStateAdapter(new RepositoryVariables(ctx), { now })
  let adapter: StateStorageAdapter
  if (config.backend === 'git') adapter = git()
  else if (config.backend === 'repository_variables') adapter = legacy()
  else
    adapter = new AutoStateAdapter(git(), legacy(), {
      parallelWrites: config.parallelWrites || config.migrationMode,
      migrationMode: config.migrationMode,
      fallbackToLegacy: config.fallbackToLegacy,
      onWarning: onWarning ?? (() => undefined)
    })
  if (config.validateOnStartup) await adapter.validate()
  return Object.assign(adapter, { config })
}
