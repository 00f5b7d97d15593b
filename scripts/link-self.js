#!/usr/bin/env node
// Links node_modules/pulumi-mode to this checkout, so that the example programs and the
// serialized dynamic-provider shim resolve `require("pulumi-mode/...")` exactly as they would
// for a user who installed the package from the registry.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-mode");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const current = fs.readlinkSync(link);
  if (path.resolve(path.dirname(link), current) === root) process.exit(0);
  fs.unlinkSync(link);
} catch (err) {
  if (err.code !== "ENOENT" && err.code !== "EINVAL") throw err;
  if (err.code === "EINVAL") fs.rmSync(link, { recursive: true, force: true });
}
fs.symlinkSync("..", link, "dir");
