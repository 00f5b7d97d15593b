/* global require */
// The "CollectionAccess size" benchmark program (run by bench/bench.ts with BENCH_COLLECTION_ACCESS=N):
// one CollectionAccess restricting a collection and granting it to the N users listed in spec.json,
// which the bench writes next to it. Credentials and URLs come from the MODE_* environment variables
// the bench sets.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mode = require("pulumi-mode");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require("./spec.json");

new mode.CollectionAccess("collection", {
  workspace: spec.workspace,
  collection: spec.collection,
  defaultAccess: spec.defaultAccess,
  grants: spec.grants,
});
