#!/usr/bin/env node
// Type-checks every example program (examples/*/tsconfig.json) against the built package, so an
// API change that breaks an example fails `npm test` (the end-to-end tests only transpile them).
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const examples = path.join(root, "examples");
let failed = 0;
for (const name of fs.readdirSync(examples).sort()) {
  const project = path.join(examples, name, "tsconfig.json");
  if (!fs.existsSync(project)) continue;
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "-p", project], { stdio: "inherit" });
    console.log(`examples/${name}: types OK`);
  } catch {
    failed += 1;
    console.error(`examples/${name}: type errors`);
  }
}
process.exit(failed === 0 ? 0 : 1);
