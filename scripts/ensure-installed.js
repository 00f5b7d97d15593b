#!/usr/bin/env node
// Makes a fresh clone ready for `npm run demo`: installs dependencies with `npm ci` when they are
// missing or older than package-lock.json (npm ci also builds), otherwise rebuilds dist/.
"use strict";
const { execSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const marker = path.join(root, "node_modules", ".package-lock.json");
const lock = path.join(root, "package-lock.json");
const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
const run = (command) => execSync(command, { cwd: root, stdio: "inherit" });
if (stale) {
  console.log("Installing dependencies (npm ci)...");
  run("npm ci --no-audit --no-fund");
} else {
  run("npx tsc -p .");
}
