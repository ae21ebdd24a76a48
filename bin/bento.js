#!/usr/bin/env node
// Runs bento's TypeScript sources directly: no build step, so the CLI is never stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
