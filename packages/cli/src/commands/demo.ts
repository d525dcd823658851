import type { Command } from 'commander'

/** `hubstore demo`: the process-updates job end to end against the embedded emulator. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the main jobs on real input against an embedded emulator, through the committed bundles: ' +
        'process-updates on an issues/reopened payload, snapshot (full, then incremental), ' +
        '8 concurrent increment-sequence runs, migrate-state off repository variables, and a data ' +
        'directory (SQLite and a Chroma-like folder) backed up, changed, backed up, wiped and restored.'
    )
    .action(async () => {
      // Loaded here, not at the top: the demo pulls in the emulator, which other commands skip.
      const { runDemo } = await import('../demo/demo.js')
      const result = await runDemo()
      const exitCodes = [
        result.run.exitCode,
        result.snapshot.full.run.exitCode,
        result.snapshot.incremental.run.exitCode,
        ...result.sequence.runs.map((r) => r.exitCode),
        ...result.migration.steps.map((s) => s.exitCode)
      ]
      const ok =
        exitCodes.every((c) => c === 0) &&
        result.sequence.consecutive &&
        result.data.identical &&
        result.data.sameAsBefore
      process.exitCode = ok ? 0 : 1
    })
}
