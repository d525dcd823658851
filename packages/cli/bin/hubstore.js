#!/usr/bin/env node
// The `hubstore` command. The workspace is consumed as TypeScript source, so this entry loads
// tsx's ESM hooks first and then the CLI's main module.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
await main(process.argv)
