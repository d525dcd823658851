/**
 * The workflow commands and log lines a step wrote to stdout (`::error::…` from
 * `core.setFailed`), for asserting on the message a failed step shows. The real stdout is
 * restored afterwards.
 */
export async function captureLog<T>(body: () => Promise<T>): Promise<{ result: T; log: string }> {
  const write = process.stdout.write.bind(process.stdout)
  let log = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  try {
    return { result: await body(), log }
  } finally {
    process.stdout.write = write
  }
}
