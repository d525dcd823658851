/** Settings of the automation-state layer: defaults, environment variables, parsing. */
import { StateStorageConfigError } from '../../errors.js'
import { DEFAULT_STATE_BRANCH } from '../../branch-store/constants.js'

/** `STORAGE_BACKEND` values. */
export const STORAGE_BACKENDS = ['git', 'repository_variables', 'auto'] as const
export type StorageBackend = (typeof STORAGE_BACKENDS)[number]

/** Settings of the automation-state layer (environment variable names in brackets). */
export interface StateStorageConfig {
  /** [`STORAGE_BACKEND`] default `auto` */
  backend: StorageBackend
  /** [`ENABLE_PARALLEL_WRITES`] mirror every git write to the variables; default `false` */
  parallelWrites: boolean
  /** [`STORAGE_BRANCH`] default `automation-state` */
  branch: string
  /** [`MIGRATION_MODE`] parallel writes + read not-yet-migrated albums from the variables; default `false` */
  migrationMode: boolean
  /** [`ENHANCED_METADATA_ENABLED`] rewrite `metadata.json` with every album write; default `true` */
  enhancedMetadata: boolean
  /** [`RETRY_TRACKING_ENABLED`] keep `retry_count` / `retry_history` on post records; default `true` */
  retryTracking: boolean
  /** [`VALIDATE_STORAGE_ON_STARTUP`] check the backends in `createStateStorage`; default `true` */
  validateOnStartup: boolean
  /** [`FALLBACK_TO_LEGACY_ON_ERROR`] on a failing git call use the variables; default `false` */
  fallbackToLegacy: boolean
}

/** Defaults of {@link StateStorageConfig}. */
export const STATE_STORAGE_DEFAULTS: StateStorageConfig = {
  backend: 'auto',
  parallelWrites: false,
  branch: DEFAULT_STATE_BRANCH,
  migrationMode: false,
  enhancedMetadata: true,
  retryTracking: true,
  validateOnStartup: true,
  fallbackToLegacy: false
}

/** Environment variable of each setting. */
export const STATE_STORAGE_ENV = {
  backend: 'STORAGE_BACKEND',
  parallelWrites: 'ENABLE_PARALLEL_WRITES',
  branch: 'STORAGE_BRANCH',
  migrationMode: 'MIGRATION_MODE',
  enhancedMetadata: 'ENHANCED_METADATA_ENABLED',
  retryTracking: 'RETRY_TRACKING_ENABLED',
  validateOnStartup: 'VALIDATE_STORAGE_ON_STARTUP',
  fallbackToLegacy: 'FALLBACK_TO_LEGACY_ON_ERROR'
} as const satisfies Record<keyof StateStorageConfig, string>

/**
 * Reads the settings from environment variables (unset or empty = default). Booleans accept
 * `true/false`, `1/0`, `yes/no`, `on/off` in any case. @throws StateStorageConfigError naming
 * the variable for anything else.
 */
export function stateStorageConfigFromEnv(
  env: Record<string, string | undefined> = process.env
): StateStorageConfig {
  const config = { ...STATE_STORAGE_DEFAULTS }
  for (const [key, name] of Object.entries(STATE_STORAGE_ENV) as Array<
    [keyof StateStorageConfig, string]
  >) {
    const raw = env[name]?.trim()
    if (!raw) continue
    if (key === 'backend') {
      const value = raw.toLowerCase()
      if (!(STORAGE_BACKENDS as readonly string[]).includes(value))
        throw new StateStorageConfigError(
          name,
          `is "${raw}"`,
          `Set it to one of ${STORAGE_BACKENDS.join(', ')}.`
        )
      config.backend = value as StorageBackend
    } else if (key === 'branch') config.branch = raw
    else {
      const value = parseBoolean(raw)
      if (value === undefined)
        throw new StateStorageConfigError(
          name,
          `is "${raw}", not a boolean`,
          'Set it to true or false.'
        )
      config[key] = value
    }
  }
  return config
}

function parseBoolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return undefined
}
