/**
 * The `pulumi-mode` command line as a user meets it: help, exit codes (0 ok, 1 failed, 2 bad usage),
 * credential messages that name the flag and the variable, API failures with the client's message,
 * credentials never printed, generate's refusal to overwrite, progress only on a terminal.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { run, type CliIo } from "../../cli/main";
import { basic, listAll } from "../../testing/emulator-control";
import { fakeLists, sampleWorkspace, type ListCounts, type RawWorkspace } from "../support/cli-workspace";

/** What a run printed and returned. */
interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

const TOKEN = "tok-0123456789";
const SECRET = "sec-abcdefghijklmnop";
const CREDS = { MODE_API_URL: "http://127.0.0.1:9/api", MODE_API_TOKEN: TOKEN, MODE_API_SECRET: SECRET };
const NOW = () => new Date("2026-01-02T03:04:05.000Z");

/** Runs the CLI in-process with the sample workspace's lists (unless `lists` says otherwise). */
async function cli(
  argv: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    tty?: boolean;
    counts?: ListCounts;
    /** The lists of the client; `"real"`: the client's own (default: the sample workspace). */
    lists?: CliIo["lists"] | "real";
  } = {},
): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    env: options.env ?? CREDS,
    now: NOW,
    ...(options.lists === "real"
      ? {}
      : { lists: options.lists ?? (() => fakeLists(sampleWorkspace(), options.counts)) }),
  });
  return { code, stdout, stderr };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-cli-"));
}

describe("cli: the command line", () => {
  it("prints help for the program and each command, exit 0", async () => {
    const top = await cli(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /generate \[options\]/);
    assert.match(top.stdout, /report \[options\]/);
    for (const command of ["generate", "report"]) {
      const help = await cli([command, "--help"]);
      assert.equal(help.code, 0, help.stderr);
      for (const flag of ["--workspace", "--api-url", "--api-token", "--api-secret"]) {
        assert.ok(help.stdout.includes(flag), `${command} --help names ${flag}`);
      }
    }
    assert.match((await cli(["report", "--help"])).stdout, /table.*csv.*json.*markdown.*html/s);
    assert.match((await cli(["generate", "--help"])).stdout, /--include.*--force/s);
  });

  for (const [what, argv, pattern] of [
    ["no command", [], /Usage: pulumi-mode/],
    ["an unknown command", ["audit"], /unknown command 'audit'/],
    ["a missing --workspace", ["report"], /--workspace <name>' not specified/],
    ["an unknown format", ["report", "--workspace", "acme", "--format", "xml"], /'xml' is invalid/],
    ["an unknown option", ["report", "--workspace", "acme", "--colour"], /unknown option '--colour'/],
    [
      "a workspace that is no username",
      ["report", "--workspace", "../x"],
      /--workspace must be a Mode username/,
    ],
    ["a missing --out", ["generate", "--workspace", "acme"], /--out <dir>' not specified/],
    [
      "an unknown --include part",
      ["generate", "--workspace", "acme", "--out", "x", "--include", "groups,users"],
      /unknown part "users"/,
    ],
  ] as const) {
    it(`exits 2 on ${what}, reading nothing`, async () => {
      const counts: ListCounts = {};
      const r = await cli([...argv], { counts });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.deepEqual(counts, {});
    });
  }

  it("exits 2 on a missing credential, naming its flag and its variable", async () => {
    const noToken = await cli(["report", "--workspace", "acme"], { env: { MODE_API_SECRET: SECRET } });
    assert.equal(noToken.code, 2);
    assert.match(
      noToken.stderr,
      /The Mode API token is not set: pass --api-token <token> or set the MODE_API_TOKEN environment variable/,
    );
    const noSecret = await cli(["report", "--workspace", "acme", "--api-token", TOKEN], { env: {} });
    assert.equal(noSecret.code, 2);
    assert.match(
      noSecret.stderr,
      /pass --api-secret <secret> or set the MODE_API_SECRET environment variable/,
    );
    assert.ok(!noSecret.stderr.includes(TOKEN));
  });

  it("exits 2 on an API URL the client refuses (plain http to a remote host), sending nothing", async () => {
    const r = await cli(["report", "--workspace", "acme", "--api-url", "http://mode.example.com/api"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /https/);
  });

  it("takes each flag over its environment variable", async () => {
    let apiUrl = "";
    const r = await cli(
      ["report", "--workspace", "acme", "--api-url", "http://localhost:1/flag", "--format", "csv"],
      {
        lists: (client) => {
          apiUrl = client.apiUrl;
          return fakeLists(sampleWorkspace());
        },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(apiUrl, "http://localhost:1/flag");
  });

  it("writes the report to stdout, or to --out, in the chosen format", async () => {
    const csv = await cli(["report", "--workspace", "acme", "--format", "csv"]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(
      csv.stdout.startsWith(
        "kind,username,state,admin,managed_by_scim,resource,resource_token,level,via\r\n",
      ),
    );
    assert.equal(csv.stderr, "", "silent on stderr when it is not a terminal");
    const dir = tmpDir();
    try {
      const file = path.join(dir, "report.json");
      const json = await cli(["report", "--workspace", "acme", "--format", "json", "--out", file]);
      assert.equal(json.code, 0, json.stderr);
      assert.equal(json.stdout, "");
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { summary: { generated_at: string } };
      assert.equal(parsed.summary.generated_at, "2026-01-02T03:04:05.000Z");
      for (const format of ["table", "markdown", "html"]) {
        const r = await cli(["report", "--workspace", "acme", "--format", format]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.stdout.length > 200, format);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows progress on stderr only when stderr is a terminal", async () => {
    const tty = await cli(["report", "--workspace", "acme", "--format", "csv"], { tty: true });
    assert.equal(tty.code, 0);
    assert.match(tty.stderr, /reading acme: \d+ pages, 16 of 16 lists, \d+ items/);
    const pipe = await cli(["report", "--workspace", "acme", "--format", "csv"], { tty: false });
    assert.equal(pipe.stderr, "");
  });

  describe("generate", () => {
    it("writes the four files, then refuses the non-empty directory without --force (exit 2, nothing read)", async () => {
      const dir = path.join(tmpDir(), "program");
      try {
        const first = await cli(["generate", "--workspace", "acme", "--out", dir]);
        assert.equal(first.code, 0, first.stderr);
        assert.deepEqual(fs.readdirSync(dir).sort(), [
          "Pulumi.yaml",
          "index.ts",
          "package.json",
          "tsconfig.json",
        ]);
        assert.match(
          first.stdout,
          /Wrote .*index\.ts \(8 people, 3 groups \(1 SCIM-managed left out\), 5 collections, 4 data-source grants\)/,
        );
        const before = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
        const counts: ListCounts = {};
        const again = await cli(["generate", "--workspace", "acme", "--out", dir], { counts });
        assert.equal(again.code, 2);
        assert.match(again.stderr, /is not empty: .* pass --force/);
        assert.deepEqual(counts, {});
        fs.writeFileSync(path.join(dir, "index.ts"), "// edited\n");
        fs.writeFileSync(path.join(dir, "README.md"), "mine\n");
        const forced = await cli(["generate", "--workspace", "acme", "--out", dir, "--force"]);
        assert.equal(forced.code, 0, forced.stderr);
        assert.equal(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), before);
        assert.equal(
          fs.readFileSync(path.join(dir, "README.md"), "utf8"),
          "mine\n",
          "other files are left alone",
        );
      } finally {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    });

    it("refuses an --out that is a file (exit 2)", async () => {
      const dir = tmpDir();
      try {
        const file = path.join(dir, "f");
        fs.writeFileSync(file, "");
        const r = await cli(["generate", "--workspace", "acme", "--out", file, "--force"]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /is a file, not a directory/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("reads only the lists --include needs", async () => {
      const dir = path.join(tmpDir(), "p");
      try {
        const counts: ListCounts = {};
        const r = await cli(["generate", "--workspace", "acme", "--out", dir, "--include", "collections"], {
          counts,
        });
        assert.equal(r.code, 0, r.stderr);
        const read = Object.keys(counts).sort();
        assert.ok(
          read.every((k) => !k.startsWith("groupMemberships/") && !k.startsWith("dataSource")),
          read.join(),
        );
        assert.ok(read.includes("spaces") && read.includes("memberships") && read.includes("groups"));
      } finally {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    });
  });

  describe("against the emulator", function () {
    this.timeout(60_000);
    let emu: RunningEmulator;
    before(async () => {
      emu = await startEmulator();
    });
    after(async () => emu.close());

    it("exits 1 with the client's message when the API refuses the credentials, printing no credential", async () => {
      const secret = "wrong-secret-0123456789";
      const r = await cli(
        [
          "report",
          "--workspace",
          emu.seed.mode.workspace,
          "--api-url",
          emu.modeApiUrl,
          "--api-secret",
          secret,
        ],
        { env: { MODE_API_TOKEN: emu.seed.mode.token }, lists: "real" },
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^pulumi-mode: error: Mode API: GET \/.*\/memberships.* failed with 401/m);
      assert.match(r.stderr, /--api-token or MODE_API_TOKEN, --api-secret or MODE_API_SECRET/);
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!text.includes(secret) && !text.includes(emu.seed.mode.token), text);
      }
    });

    it("exits 1 on an unknown workspace", async () => {
      const r = await cli(["report", "--workspace", "nosuchworkspace", "--api-url", emu.modeApiUrl], {
        env: { MODE_API_TOKEN: emu.seed.mode.token, MODE_API_SECRET: emu.seed.mode.secret },
        lists: "real",
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /404/);
      assert.ok(!r.stderr.includes(emu.seed.mode.secret));
    });

    it("reads through the client exactly what the API lists (the same report as from the raw lists)", async () => {
      const seed = emu.seed.mode;
      const auth = basic(seed.token, seed.secret);
      const api = `${emu.modeApiUrl}/${seed.workspace}`;
      const all = async <T>(path: string, key: string) => (await listAll<T>(`${api}${path}`, auth, key)).all;
      const raw: RawWorkspace = {
        memberships: await all("/memberships", "memberships"),
        groups: await all("/groups", "groups"),
        groupMemberships: {},
        spaces: await all("/spaces", "spaces"),
        spacePermissions: {},
        dataSources: await all("/data_sources", "data_sources"),
        dataSourcePermissions: {},
      };
      for (const g of raw.groups)
        raw.groupMemberships[g.token] = await all(`/groups/${g.token}/memberships`, "group_memberships");
      for (const c of raw.spaces)
        raw.spacePermissions[c.token] = await all(`/spaces/${c.token}/permissions`, "space_entitlements");
      for (const d of raw.dataSources) {
        raw.dataSourcePermissions[d.token] = await all(
          `/data_sources/${d.token}/permissions`,
          "data_source_entitlements",
        );
      }
      const env = { MODE_API_URL: emu.modeApiUrl, MODE_API_TOKEN: seed.token, MODE_API_SECRET: seed.secret };
      const real = await cli(["report", "--workspace", seed.workspace, "--format", "json"], {
        env,
        lists: "real",
      });
      const fromRaw = await cli(["report", "--workspace", seed.workspace, "--format", "json"], {
        env,
        lists: () => fakeLists(raw),
      });
      assert.equal(real.code, 0, real.stderr);
      const rows = (text: string) => (JSON.parse(text) as { rows: unknown[] }).rows;
      assert.ok(rows(real.stdout).length > 10);
      assert.deepEqual(rows(real.stdout), rows(fromRaw.stdout));
    });

    it("counts the pages it reads on a terminal", async () => {
      const r = await cli(
        ["report", "--workspace", emu.seed.mode.workspace, "--api-url", emu.modeApiUrl, "--format", "json"],
        {
          env: { MODE_API_TOKEN: emu.seed.mode.token, MODE_API_SECRET: emu.seed.mode.secret },
          lists: "real",
          tty: true,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /: 12 pages, 12 of 12 lists/); // 5 members, 2 groups, 3 collections, 3 data sources
    });
  });

  it("runs as the package's bin: executable, exit code 2 on bad usage", async function () {
    this.timeout(30_000);
    const bin = path.join(__dirname, "..", "..", "cli", "index.js");
    fs.accessSync(bin, fs.constants.X_OK);
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(bin, ["report"], { env: { PATH: process.env.PATH ?? "" } }, (err, _out, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }),
      );
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--workspace/);
  });
});
