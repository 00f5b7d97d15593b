/* global require */
// The "GroupMembers size" benchmark program (run by bench/bench.ts with BENCH_GROUP_MEMBERS=N): one
// GroupMembers making one group hold exactly the N usernames listed in spec.json, which the bench
// writes next to it. Credentials and URLs come from the MODE_* environment variables the bench sets.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mode = require("pulumi-mode");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require("./spec.json");

new mode.GroupMembers("group", { workspace: spec.workspace, group: spec.group, usernames: spec.usernames });
