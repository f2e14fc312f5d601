#!/usr/bin/env node
import { runCli } from './program';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lookalike: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
