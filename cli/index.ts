#!/usr/bin/env node
/**
 * `pulumi-mode`: the package's command line (see ./main.ts and docs/cli.md).
 */
import { run } from "./main";

void run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
);
