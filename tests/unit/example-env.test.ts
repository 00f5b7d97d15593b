/**
 * `npm run -s example-env -- <example> --port N`: the lines that run one of the repository's examples
 * by hand against a running emulator (scripts/example-env.ts), evaluated in bash with a recording
 * `pulumi`: per example only the credentials and config it needs, every example served, PATH only when
 * needed, and the errors it explains.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RunningEmulator, SeedInfo, startEmulator } from "../../emulator";
import { EXAMPLE_CONFIG, projectConfigKeys } from "../../scripts/example-env";
import { repoRoot } from "../../testing/engine";
import {
  Ran,
  assertOnlyAdminCredentials,
  canaryEnv,
  evaluateLines,
  fakePulumiBin,
  modeApiEnv,
  orgApiEnv,
  pulumiEnv,
  pulumiSdkVersion,
  runNode,
} from "../support/shell-lines";

const SCRIPT = resolve(__dirname, "..", "..", "scripts", "example-env.js");
const EXAMPLES = join(repoRoot(), "examples");

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return runNode(SCRIPT, args, env);
}

/** The config values the examples get from a seed (written here independently of the script's table). */
function seededConfig(s: SeedInfo): Record<string, string> {
  return {
    workspace: s.mode.workspace,
    space: s.mode.spaces[0],
    memberToken: s.mode.users[0].token,
    groupToken: s.mode.userGroups[0],
    organizationId: s.org.organizationId,
    username: s.mode.users[1].username,
    dataSource: s.mode.dataSources[0].token,
    secondUsername: s.mode.users[2].username,
    collection: s.mode.spaces[2],
  };
}

describe("example-env: the lines that run an example by hand", function () {
  this.timeout(120_000); // each case spawns node and bash, on a busy machine
  let dir: string;
  let emu: RunningEmulator;
  let fakeBin: string;
  let backend: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "example-env-"));
    emu = await startEmulator({ port: 0 });
    fakeBin = fakePulumiBin(dir);
    backend = join(dir, "backend");
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves every example, each with only the API credentials and config it needs, in lines bash evaluates", async function () {
    this.timeout(600_000); // two processes per example
    const s = emu.seed;
    const config = seededConfig(s);
    const both = { ...modeApiEnv(s), ...orgApiEnv(s) };
    // Every example folder with a Pulumi.yaml belongs here: a new one fails until it is added (and its
    // config keys to EXAMPLE_CONFIG in scripts/example-env.ts).
    const cases: Record<string, [Record<string, string>, string[]]> = {
      "space-membership": [modeApiEnv(s), ["workspace", "space", "memberToken", "groupToken"]],
      "space-members": [modeApiEnv(s), ["workspace", "space", "memberToken", "groupToken"]],
      "workspace-invite": [modeApiEnv(s), ["workspace"]],
      "workspace-members": [modeApiEnv(s), ["workspace"]],
      "workspace-membership": [modeApiEnv(s), ["workspace", "username"]],
      "org-invite": [orgApiEnv(s), ["organizationId"]],
      "org-invite-acceptance": [orgApiEnv(s), ["organizationId"]],
      combined: [
        both,
        ["workspace", "username", "secondUsername", "collection", "space", "memberToken", "organizationId"],
      ],
      // Mode's access model.
      collection: [modeApiEnv(s), ["workspace"]],
      "collection-access": [modeApiEnv(s), ["workspace", "username"]],
      "collection-permission": [modeApiEnv(s), ["workspace", "space", "username"]],
      "data-source-permission": [modeApiEnv(s), ["workspace", "dataSource", "username"]],
      groups: [modeApiEnv(s), ["workspace", "username", "secondUsername", "groupToken"]],
    };
    const examples = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, "Pulumi.yaml")));
    assert.deepEqual(
      [...examples].sort(),
      Object.keys(cases).sort(),
      "every example under examples/ has a case here (and its config keys in EXAMPLE_CONFIG)",
    );
    for (const [example, [apiEnv, keys]] of Object.entries(cases)) {
      const r = await runScript(
        [example, "--url", emu.url, "--backend", backend, "--stack", "try"],
        canaryEnv(fakeBin),
      );
      assert.equal(r.code, 0, `${example}: ${r.stderr}`);
      assert.equal(r.stderr, "");
      assertOnlyAdminCredentials(r.stdout, s);
      const got = evaluateLines(r.stdout, dir);
      assert.deepEqual(got.env, { ...apiEnv, ...pulumiEnv(backend) }, example);
      assert.equal(got.cwd, join(EXAMPLES, example));
      assert.ok(existsSync(backend), "the backend directory is created");
      assert.deepEqual(got.calls, [
        "stack select --create try --secrets-provider passphrase",
        ...keys.map((k) => `config set --plaintext ${k} ${config[k]}`),
      ]);
      // One command a line; nothing else (pulumi is on PATH: no PATH line).
      assert.equal(r.stdout.trim().split("\n").length, Object.keys(apiEnv).length + 4 + 2 + keys.length);
    }
    // The script's table and this test's agree on every key.
    assert.deepEqual(Object.keys(EXAMPLE_CONFIG).sort(), Object.keys(config).sort());
  });

  it("takes the stack dev by default, --port, --passphrase, and an example directory relative to where npm ran", async () => {
    const own = join(dir, "own-program");
    mkdirSync(own, { recursive: true });
    writeFileSync(
      join(own, "Pulumi.yaml"),
      "name: own\nruntime: nodejs\nconfig:\n  workspace:\n    type: string\n",
    );
    const r = await runScript(
      ["./own-program", "--port", new URL(emu.url).port, "--backend", "rel-backend", "--passphrase", "pw"],
      canaryEnv(fakeBin, { npm_lifecycle_event: "example-env", INIT_CWD: dir }),
    );
    assert.equal(r.code, 0, r.stderr);
    const got = evaluateLines(r.stdout, dir);
    assert.equal(got.cwd, own);
    assert.deepEqual(got.env, { ...modeApiEnv(emu.seed), ...pulumiEnv(join(dir, "rel-backend"), "pw") });
    assert.deepEqual(got.calls, [
      "stack select --create dev --secrets-provider passphrase",
      `config set --plaintext workspace ${emu.seed.mode.workspace}`,
    ]);
  });

  it("puts the engine's bin dir first on PATH only when pulumi is not on PATH and the engine is built", async () => {
    const cache = join(dir, "engine-cache");
    const bin = join(cache, `v${pulumiSdkVersion()}`, "bin");
    const args = ["org-invite", "--url", emu.url, "--backend", backend];
    const noPulumi = { PATH: "/usr/bin:/bin", PULUMI_MODE_ENGINE_CACHE: cache };
    let r = await runScript(args, canaryEnv(fakeBin, noPulumi));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /PATH/, "no engine built: no PATH line");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "pulumi"), "");
    r = await runScript(args, canaryEnv(fakeBin, noPulumi));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[0], `export PATH='${bin}':"$PATH"`);
    assert.ok(evaluateLines(r.stdout, dir).path.startsWith(`${bin}:`), "bash puts it first");
    r = await runScript(args, canaryEnv(fakeBin, { PULUMI_MODE_ENGINE_CACHE: cache }));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /PATH=/, "a pulumi on PATH already: no PATH line");
  });

  it("explains a missing emulator, an unknown or missing example, a missing port and --api", async () => {
    const cases: [string[], number, RegExp][] = [
      [
        ["space-membership", "--url", "http://127.0.0.1:9"],
        1,
        /no emulator at http:\/\/127\.0\.0\.1:9 .*--daemon/,
      ],
      [["nope", "--url", emu.url], 1, /no example nope .*space-membership/],
      [["space-membership"], 2, /--port N or --url URL/],
      [["--url", emu.url], 2, /which example\? .*space-membership/],
      [["space-membership", "--url", emu.url, "--api", "mode"], 2, /--api .*Pulumi\.yaml decides/],
      [["space-membership", "--url", emu.url, "--bogus", "x"], 2, /unknown env option --bogus/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runScript(args, canaryEnv(fakeBin));
      assert.equal(r.code, code, args.join(" "));
      assert.equal(r.stdout, "", args.join(" "));
      assert.match(r.stderr, message);
    }
    const help = await runScript(["--help"], canaryEnv(fakeBin));
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--stack NAME/);
  });

  it("refuses an example whose config has no seeded value, saying which and what to do", async () => {
    const empty = await startEmulator({ port: 0, seed: { users: 0 } });
    try {
      const r = await runScript(["space-membership", "--url", empty.url], canaryEnv(fakeBin));
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /no seeded value for memberToken .*--users 1 or more/);
    } finally {
      await empty.close();
    }
    const unknown = join(dir, "unknown-key");
    mkdirSync(unknown, { recursive: true });
    writeFileSync(
      join(unknown, "Pulumi.yaml"),
      "name: u\nconfig:\n  workspace:\n    type: string\n  dashboard: x\n",
    );
    const r = await runScript([unknown, "--url", emu.url], canaryEnv(fakeBin));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /no seeded value for config dashboard: add it to EXAMPLE_CONFIG in scripts\/example-env\.ts/,
    );
  });

  it("reads the top-level keys of a Pulumi.yaml's config block only", () => {
    const yaml = [
      "name: p",
      "config:",
      "  a:",
      "    type: string",
      "    default:",
      "      nested: 1",
      "  b: 2",
      "runtime:",
      "  name: nodejs",
      "  c: 3",
    ].join("\n");
    assert.deepEqual(projectConfigKeys(yaml), ["a", "b"]);
    assert.deepEqual(projectConfigKeys("name: p\nruntime: nodejs\n"), []);
  });
});
