#!/usr/bin/env node
// Entry point of the `personae` binary (dist/src/cli/bin.js in the package).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
