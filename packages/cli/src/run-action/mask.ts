/**
 * What the Actions runner does to a step's log before anyone sees it (docs/github-behaviour.md
 * §11.2): every registered secret is replaced by `***` wherever it appears, the job's token is
 * registered from the start, and `::add-mask::<value>` registers one more. Outside a runner
 * nothing else would mask, so `hubstore run-action` passes every line through this.
 */
export function createLogMasker(secrets: Iterable<string | undefined>): (line: string) => string {
  const known = new Set<string>()
  const add = (value: string | undefined): void => {
    // the runner ignores empty values; one-character secrets would mask every such character
    if (value && value.trim().length > 1) known.add(value.trim())
  }
  for (const s of secrets) add(s)
  return (line) => {
    const command = /^::add-mask::(.*)$/.exec(line)
    if (command) add(unescapeCommandData(command[1] as string))
    let masked = line
    // longest first, so a secret that contains another is masked whole
    for (const secret of [...known].sort((a, b) => b.length - a.length))
      masked = masked.split(secret).join('***')
    return masked
  }
}

/** A workflow command's data as @actions/core escapes it: `%25` `%0D` `%0A`. */
export function unescapeCommandData(s: string): string {
  return s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}
