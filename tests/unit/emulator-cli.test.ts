/**
 * Emulator integration tests: the `mode-emulator` command (first-line JSON, flags, signals, bad
 * flags, `--daemon`), `mode-emulator env` (its generic lines; the examples' lines are
 * tests/unit/example-env.test.ts) and `--state FILE` persistence.
 */
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RunningEmulator, SeedInfo, startEmulator } from "../../emulator";
import { Collection, MembershipBody, basic, control, req } from "../../testing/emulator-control";
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

const CLI = resolve(__dirname, "..", "..", "emulator", "cli.js");

interface Started {
  child: ChildProcess;
  seed: SeedInfo;
  stderr: () => string;
}

/** Spawns the CLI and resolves with its parsed first stdout line. */
function startCli(args: string[]): Promise<Started> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        try {
          resolvePromise({ child, seed: JSON.parse(out.slice(0, nl)) as SeedInfo, stderr: () => err });
        } catch (e) {
          reject(e as Error);
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code} before printing: ${err}`)));
  });
}

/** Runs the CLI to completion. */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return runNode(CLI, args, env);
}

function exitOf(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((r) => {
    child.on("exit", (code) => r(code));
    child.kill(signal);
  });
}

describe("emulator: CLI and persistence", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mode-emulator-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the seed JSON first, serves authenticated requests, exits 0 on SIGTERM without leaking secrets", async () => {
    const { child, seed, stderr } = await startCli(["--port", "0", "--users", "3", "--mode-page-size", "2"]);
    assert.match(seed.modeApiUrl, /^http:\/\/127\.0\.0\.1:\d+\/mode\/api$/);
    assert.equal(seed.orgApiUrl, seed.modeApiUrl.replace(/\/mode\/api$/, "/org"));
    assert.equal(seed.controlUrl, seed.modeApiUrl.replace(/\/mode\/api$/, "/_control"));
    assert.equal(seed.mode.workspace, "acme-analytics");
    assert.deepEqual(
      seed.mode.users.map((u) => u.username),
      ["ada", "grace", "alan"],
    );
    assert.ok(seed.mode.noAccess.token && seed.mode.workspaceApiToken.secret);
    assert.ok(seed.org.organizationId && seed.org.otherOrganizationId && seed.org.otherToken);
    const r = await req<Collection<MembershipBody>>(
      "GET",
      `${seed.modeApiUrl}/${seed.mode.workspace}/memberships`,
      {
        auth: basic(seed.mode.token, seed.mode.secret),
      },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json._embedded.memberships.length, 2);
    assert.ok(r.json._links.next_page);
    const o = await req("GET", `${seed.orgApiUrl}/api/v2/organizations/${seed.org.organizationId}/invites`, {
      auth: `Bearer ${seed.org.token}`,
    });
    assert.equal(o.status, 200);
    assert.equal(await exitOf(child, "SIGTERM"), 0);
    const log = stderr();
    assert.match(log, /GET mode\.memberships\.list 200/);
    for (const secret of [seed.mode.token, seed.mode.secret, seed.org.token, seed.mode.users[0].token]) {
      assert.ok(!log.includes(secret), "no secrets or tokens in the log");
    }
  });

  it("generates numbered users for large seeds and exits 0 on SIGINT", async () => {
    const { child, seed } = await startCli([
      "--port=0",
      "--users",
      "1000",
      "--spaces",
      "1",
      "--user-groups",
      "0",
    ]);
    assert.equal(seed.mode.users.length, 1000);
    assert.deepEqual(seed.mode.users[0], {
      username: "user0001",
      token: seed.mode.users[0].token,
      email: "user0001@acme.example",
    });
    assert.equal(seed.mode.users[999].username, "user1000");
    assert.equal(new Set(seed.mode.users.map((u) => u.token)).size, 1000);
    assert.equal(seed.mode.spaces.length, 1);
    assert.deepEqual(seed.mode.userGroups, []);
    assert.equal(await exitOf(child, "SIGINT"), 0);
  });

  it("rejects bad flag values with a message on stderr and exit code 2", async () => {
    for (const args of [
      ["--port", "abc"],
      ["--port", "70000"],
      ["--fault-rate", "1.5"],
      ["--rate-limit", "-3"],
      ["--latency", "x"],
      ["--users", "2.5"],
      ["--mode-page-size", "0"],
      ["--state"],
      ["--bogus"],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^mode-emulator: .+/, args.join(" "));
    }
    const help = await runCli(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--fault-rate/);
    assert.match(help.stdout, /--state FILE/);
  });

  it("keeps all data across restarts with --state FILE (CLI)", async () => {
    const file = join(dir, "cli-state.json");
    const first = await startCli(["--port", "0", "--state", file]);
    const auth = basic(first.seed.mode.token, first.seed.mode.secret);
    const inv = await req("POST", `${first.seed.modeApiUrl}/${first.seed.mode.workspace}/invites`, {
      auth,
      body: { invite: { invitee: { email: "kept@x.example" }, message: "hi" } },
    });
    assert.equal(inv.status, 200);
    assert.equal(await exitOf(first.child, "SIGTERM"), 0);
    assert.ok(existsSync(file));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary files left behind",
    );

    const second = await startCli(["--port", "0", "--state", file]);
    try {
      assert.deepEqual(second.seed.mode, first.seed.mode);
      const list = await req<Collection<MembershipBody>>(
        "GET",
        `${second.seed.modeApiUrl}/${second.seed.mode.workspace}/memberships`,
        { auth },
      );
      const kept = list.json._embedded.memberships.find((m) => m.member_username === "kept");
      assert.equal(kept?.state, "invited");
    } finally {
      assert.equal(await exitOf(second.child, "SIGTERM"), 0);
    }
  });

  it("saves after every mutation, atomically, and reloads in-process (statePath)", async () => {
    const file = join(dir, "lib-state.json");
    const a = await startEmulator({ port: 0, statePath: file });
    const auth = basic(a.seed.mode.token, a.seed.mode.secret);
    const orgUrl = `${a.orgApiUrl}/api/v2/organizations/${a.seed.org.organizationId}/invites`;
    const created = await req<{ data: { id: string } }>("POST", orgUrl, {
      auth: `Bearer ${a.seed.org.token}`,
      body: { data: { type: "organization_invites", attributes: { recipient_email: "p@x.example" } } },
      contentType: "application/vnd.api+json",
    });
    assert.equal(created.status, 201);
    const space = `${a.modeApiUrl}/${a.seed.mode.workspace}/spaces/${a.seed.mode.spaces[0]}/memberships`;
    const sm = await req("POST", space, {
      auth,
      body: { membership: { member_type: "UserGroup", member_token: a.seed.mode.userGroups[0] } },
    });
    assert.equal(sm.status, 200);
    await control(a, "POST", "/clock/advance", { seconds: 60 });
    const onDisk = JSON.parse(readFileSync(file, "utf8")) as {
      orgInvites: unknown[];
      spaceMemberships: unknown[];
    };
    assert.equal(onDisk.orgInvites.length, 1, "saved before close");
    assert.equal(onDisk.spaceMemberships.length, 1);
    await a.close();

    const b = await startEmulator({ port: 0, statePath: file });
    try {
      const g = await req("GET", `${orgUrl.replace(a.url, b.url)}/${created.json.data.id}`, {
        auth: `Bearer ${b.seed.org.token}`,
      });
      assert.equal(g.status, 200);
      const list = await req<Collection<unknown>>("GET", space.replace(a.url, b.url), { auth });
      assert.equal(list.json._embedded.memberships.length, 1);
      const clock = await control<{ offsetSeconds: number }>(b, "GET", "/clock");
      assert.equal(clock.json.offsetSeconds, 60);
      await control(b, "POST", "/reset");
      const reset = JSON.parse(readFileSync(file, "utf8")) as { orgInvites: unknown[] };
      assert.equal(reset.orgInvites.length, 0, "reset is persisted too");
    } finally {
      await b.close();
    }
    writeFileSync(file, "{not json");
    await assert.rejects(startEmulator({ port: 0, statePath: file }));
  });

  describe("env: the generic lines", function () {
    this.timeout(120_000); // each case spawns node and bash, on a busy machine
    let emu: RunningEmulator;
    let fakeBin: string;
    let backend: string;
    before(async () => {
      emu = await startEmulator({ port: 0 });
      fakeBin = fakePulumiBin(dir);
      backend = join(dir, "backend");
    });
    after(() => emu.close());

    it("prints the environment for both APIs and the Pulumi CLI, in lines bash evaluates", async () => {
      // `env` reads GET {controlUrl}/seed: the first-line JSON of the running emulator.
      assert.deepEqual((await control(emu, "GET", "/seed")).json, emu.seed);
      const port = new URL(emu.url).port;
      const r = await runCli(["env", "--port", port, "--backend", backend], canaryEnv(fakeBin));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assertOnlyAdminCredentials(r.stdout, emu.seed);
      const got = evaluateLines(r.stdout, dir);
      assert.deepEqual(got.calls, [], "no pulumi commands");
      assert.equal(got.cwd, process.cwd(), "no cd");
      assert.ok(existsSync(backend), "the backend directory is created");
      assert.deepEqual(got.env, { ...modeApiEnv(emu.seed), ...orgApiEnv(emu.seed), ...pulumiEnv(backend) });
      // One command a line; nothing else.
      assert.equal(r.stdout.trim().split("\n").length, 5 + 4);
    });

    it("--api restricts the lines to one API; --passphrase sets the passphrase", async () => {
      for (const [api, apiEnv] of [
        ["mode", modeApiEnv(emu.seed)],
        ["org", orgApiEnv(emu.seed)],
      ] as const) {
        const r = await runCli(
          ["env", "--url", emu.url, `--api=${api}`, "--backend", backend, "--passphrase", "it's secret"],
          canaryEnv(fakeBin),
        );
        assert.equal(r.code, 0, r.stderr);
        assertOnlyAdminCredentials(r.stdout, emu.seed);
        assert.deepEqual(evaluateLines(r.stdout, dir).env, {
          ...apiEnv,
          ...pulumiEnv(backend, "it's secret"),
        });
      }
    });

    it("prints no PATH line, even when pulumi is not on PATH and the engine is built", async () => {
      const cache = join(dir, "engine-cache-env");
      const bin = join(cache, `v${pulumiSdkVersion()}`, "bin");
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, "pulumi"), "");
      const noPulumi = { PATH: "/usr/bin:/bin", PULUMI_MODE_ENGINE_CACHE: cache };
      const r = await runCli(["env", "--url", emu.url, "--backend", backend], canaryEnv(fakeBin, noPulumi));
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /PATH=/);
    });

    it("explains a missing emulator, a missing port and bad options; its help says what it prints", async () => {
      let r = await runCli(["env", "--url", "http://127.0.0.1:9"], canaryEnv(fakeBin));
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /no emulator at http:\/\/127\.0\.0\.1:9 .*mode-emulator --port N --daemon/);
      r = await runCli(["env"], canaryEnv(fakeBin));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--port N or --url URL/);
      for (const [args, message] of [
        [["--api", "both"], /--api expects mode or org, got both/],
        [["--example", "space-membership"], /unknown env option --example/],
        [["--stack", "dev"], /unknown env option --stack/],
        [["--url", "http://127.0.0.1:9/path"], /--url expects http:\/\/HOST:PORT/],
      ] as const) {
        r = await runCli(["env", "--url", emu.url, ...args], canaryEnv(fakeBin));
        assert.equal(r.code, 2, args.join(" "));
        assert.equal(r.stdout, "");
        assert.match(r.stderr, message);
      }
      r = await runCli(["env", "--help"]);
      assert.equal(r.code, 0);
      const env = r.stdout.slice(r.stdout.indexOf("mode-emulator env:"));
      assert.match(env, /--api mode\|org/);
      assert.match(env, /no PATH line, no cd, no stack or config commands/);
      assert.doesNotMatch(env, /--example|--stack/);
    });
  });

  it("--daemon prints the first line, returns, and leaves the emulator running until killed", async () => {
    const log = join(dir, "daemon.log");
    const r = await runCli(["--port", "0", "--daemon", "--log", log]);
    assert.equal(r.code, 0, r.stderr);
    const seed = JSON.parse(r.stdout.split("\n")[0]) as SeedInfo;
    const pid = Number(/as pid (\d+)/.exec(r.stderr)?.[1]);
    assert.ok(pid > 0, r.stderr);
    try {
      const list = await req("GET", `${seed.modeApiUrl}/${seed.mode.workspace}/memberships`, {
        auth: basic(seed.mode.token, seed.mode.secret),
      });
      assert.equal(list.status, 200);
      assert.match(readFileSync(log, "utf8"), /listening on/);
    } finally {
      process.kill(pid, "SIGTERM");
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.fail(`daemon ${pid} still running after SIGTERM`);
  });
});
