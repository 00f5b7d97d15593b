/**
 * examples/automation: the roster script, run as a user runs it (`node index.js roster.json`, the
 * `pulumi` CLI on PATH, credentials in MODE_* variables), against the emulator.
 *
 * Roster with two users → both are members of the space (read through the emulator's Mode API) →
 * roster with one → the other is revoked → `--destroy` → nobody the roster granted is left.
 * The script is compiled with the repository's TypeScript (transpile only; `npm test` type-checks
 * the examples) into a temp dir whose node_modules links to the repository's, which holds
 * pulumi-mode (linked to this checkout) and @pulumi/pulumi.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, req, type Res } from "../../testing/emulator-control";
import { engineOrSkip, repoRoot } from "../../testing/engine";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface SpaceMembershipsPage {
  _embedded: { memberships: { member_token: string; member_type: string }[] };
  _links: { next_page?: { href: string }; next?: { href: string } };
}

describe("examples/automation: space access from a roster file through the Automation API", function () {
  this.timeout(5 * 60 * 1000);
  let binDir: string;
  let dir: string;
  let emulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  let space: string;
  let users: { token: string; email: string }[];

  before(async function () {
    binDir = await engineOrSkip(this, "the automation example test");
    emulator = await startEmulator({ port: 0 });
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-automation-"));
    const source = await fs.promises.readFile(
      path.join(repoRoot(), "examples", "automation", "index.ts"),
      "utf8",
    );
    const compiled = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: "index.ts",
    });
    await fs.promises.writeFile(path.join(dir, "index.js"), compiled.outputText);
    await fs.promises.symlink(path.join(repoRoot(), "node_modules"), path.join(dir, "node_modules"), "dir");
    await fs.promises.mkdir(path.join(dir, "home"));

    env = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith("PULUMI_") && !k.startsWith("MODE_")) env[k] = v;
    }
    Object.assign(env, {
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "roster-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      MODE_API_URL: emulator.modeApiUrl,
      MODE_API_TOKEN: emulator.seed.mode.token,
      MODE_API_SECRET: emulator.seed.mode.secret,
    });
    space = emulator.seed.mode.spaces[0];
    users = emulator.seed.mode.users.slice(0, 2).map((u) => ({ token: u.token, email: u.email }));
  });

  after(async () => {
    await emulator?.close();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  function writeRoster(members: { memberToken: string; email?: string }[]): string {
    const file = path.join(dir, "roster.json");
    const roster = {
      workspace: emulator.seed.mode.workspace,
      members: members.map((m) => ({ space, ...m })),
    };
    fs.writeFileSync(file, JSON.stringify(roster, null, 2));
    return file;
  }

  function script(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(dir, "index.js"), ...args],
        { cwd: dir, env, timeout: 3 * 60 * 1000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async function mustRun(args: string[]): Promise<Run> {
    const run = await script(args);
    assert.equal(run.code, 0, `index.js ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
    return run;
  }

  /** The member tokens of users in the space, as the Mode API lists them. */
  async function spaceMembers(): Promise<string[]> {
    const tokens: string[] = [];
    let url: string | undefined =
      `${emulator.modeApiUrl}/${emulator.seed.mode.workspace}/spaces/${space}/memberships`;
    while (url) {
      const res: Res<SpaceMembershipsPage> = await req<SpaceMembershipsPage>("GET", url, {
        auth: basic(emulator.seed.mode.token, emulator.seed.mode.secret),
      });
      assert.equal(res.status, 200, res.text);
      tokens.push(
        ...res.json._embedded.memberships.filter((m) => m.member_type === "User").map((m) => m.member_token),
      );
      url = (res.json._links.next_page ?? res.json._links.next)?.href;
    }
    return tokens.sort();
  }

  it("a roster with two users grants both access to the space", async () => {
    assert.deepEqual(await spaceMembers(), [], "the seeded space should start empty");
    const roster = writeRoster(users.map((u) => ({ memberToken: u.token, email: u.email })));
    const run = await mustRun([roster]);
    assert.match(run.stdout, /Granted 2, revoked 0, repaired 0, unchanged 0\./);
    assert.doesNotMatch(run.stderr, /warning: the roster says/);
    assert.deepEqual(await spaceMembers(), users.map((u) => u.token).sort());
  });

  it("--preview of the same roster shows no change; a wrong email is flagged", async () => {
    const roster = writeRoster([
      { memberToken: users[0].token, email: users[0].email },
      { memberToken: users[1].token, email: "someone.else@example.com" },
    ]);
    const preview = await mustRun(["--preview", roster]);
    assert.match(preview.stdout, /Would change: \{"same":3\}/);
    const run = await mustRun([roster]);
    assert.match(run.stdout, /Granted 0, revoked 0, repaired 0, unchanged 2\./);
    assert.match(
      run.stderr,
      new RegExp(
        `warning: the roster says ${users[1].token} is someone.else@example.com, but Mode says ${users[1].email}`,
      ),
    );
  });

  it("removing a user from the roster revokes their access and leaves the other's", async () => {
    const roster = writeRoster([{ memberToken: users[0].token, email: users[0].email }]);
    const run = await mustRun([roster]);
    assert.match(run.stdout, /Granted 0, revoked 1, repaired 0, unchanged 1\./);
    assert.deepEqual(await spaceMembers(), [users[0].token]);
  });

  it("a bad roster fails with a message naming the entry, and changes nothing", async () => {
    const file = path.join(dir, "bad-roster.json");
    fs.writeFileSync(file, JSON.stringify({ workspace: emulator.seed.mode.workspace, members: [{ space }] }));
    const run = await script([file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /members\[0\]\.memberToken must be a member token/);
    assert.deepEqual(await spaceMembers(), [users[0].token]);
  });

  it("--destroy revokes everything the roster granted", async () => {
    const run = await mustRun(["--destroy"]);
    assert.match(run.stdout, /Revoked 1 membership\(s\)/);
    assert.deepEqual(await spaceMembers(), []);
  });
});
