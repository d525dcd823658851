// Preloaded (`node --import ./bench/max-rss.mjs …`) by bench/persist-data.ts into the processes it
// measures: prints the process's peak resident set size on exit, as `max-rss-kib <n>` on stderr.
import { writeSync } from 'node:fs'

process.on('exit', () => writeSync(2, `\nmax-rss-kib ${process.resourceUsage().maxRSS}\n`))
