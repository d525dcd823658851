import { UsageError } from './errors.js'

/** commander parser for a TCP port (0–65535). @throws {UsageError} */
export function parsePort(value: string): number {
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535, got "${value}".`)
  return n
}

/** commander collector for repeated `--input name=value` flags. @throws {UsageError} */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {}
): Record<string, string> {
  const at = value.indexOf('=')
  if (at < 1) throw new UsageError(`--input takes name=value, got "${value}".`)
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) }
}
