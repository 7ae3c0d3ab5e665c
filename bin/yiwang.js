#!/usr/bin/env node
// The `yiwang` command. Sources run through tsx's loader (see docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
