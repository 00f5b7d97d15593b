/**
 * A clean install on any supported SDK: the package as npm publishes it (`npm pack`), installed
 * into a program next to the oldest and the newest `@pulumi/pulumi` its peer range admits, each
 * pinned exactly (tests/fixtures/sdk-compat/{oldest,newest}/package.json).
 *
 * For each: npm installs exactly one copy of @pulumi/pulumi (the program's; pulumi-mode declares a
 * peer range, so none nests under it) → through the real engine, `pulumi up` with the credentials
 * in secret stack config (they reach the provider through the dynamic provider's `configure`, which
 * SDKs before 3.139.0 never call) → the member is removed from the space behind Pulumi's back →
 * `pulumi preview` shows the replace → `pulumi destroy` leaves nothing in the emulator.
 *
 * Timing: each variant's `npm install` takes 5-15 s once npm's cache holds the packages (the very
 * first run downloads them, about a minute each); the engine part takes about 15 s per variant.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, control, req } from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot, type StackExport } from "../../testing/engine";

const FIXTURES = path.join(repoRoot(), "tests", "fixtures", "sdk-compat");

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readManifest(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
}

/** Runs npm without the lower-case `npm_*` variables that `npm test` sets for its scripts (user-set `NPM_CONFIG_*` stay). */
function npm(
  args: string[],
  cwd: string,
  timeoutMs = 5 * 60 * 1000,
): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("npm_")) env[k] = v;
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      args,
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err)
          reject(new Error(`npm ${args.join(" ")} failed in ${cwd}: ${err.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** `>=A.B.C <4.0.0` → "A.B.C"; the test keeps the oldest fixture at the range's lower bound. */
function lowerBound(range: string): string {
  const match = /^>=(\d+\.\d+\.\d+) <4\.0\.0$/.exec(range);
  assert.ok(match, `the @pulumi/pulumi peer range ${range} is not of the form ">=3.x.y <4.0.0"`);
  return match[1];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function modeResources(state: StackExport): { name: string; outputs: Record<string, unknown> }[] {
  return (state.deployment.resources ?? [])
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/mode:"))
    .map((r) => ({ name: r.urn.split("::").pop() ?? "", outputs: r.outputs ?? {} }));
}

describe("a clean install of the packed package on the oldest and the newest supported SDK", function () {
  this.timeout(10 * 60 * 1000);
  let binDir: string;
  let packDir: string;
  let tarball: string;
  const peerRange = readManifest(path.join(repoRoot(), "package.json")).peerDependencies?.["@pulumi/pulumi"];

  before(async function () {
    binDir = await engineOrSkip(this, "the SDK compatibility test");
    this.timeout(5 * 60 * 1000);
    packDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-pack-"));
    // --ignore-scripts: `prepare` would rebuild dist/ while mocha runs from it.
    const { stdout } = await npm(
      ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir],
      repoRoot(),
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(packDir, packed.filename);
    const files = packed.files.map((f) => f.path);
    for (const wanted of ["dist/sdk/index.js", "dist/provider/index.js", "package.json"]) {
      assert.ok(files.includes(wanted), `the tarball lacks ${wanted}`);
    }
  });

  after(async () => {
    if (packDir) await fs.promises.rm(packDir, { recursive: true, force: true });
  });

  it("package.json declares @pulumi/pulumi as a peer range, and pins the engine's version for development", () => {
    const manifest = readManifest(path.join(repoRoot(), "package.json"));
    assert.equal(
      manifest.dependencies?.["@pulumi/pulumi"],
      undefined,
      "@pulumi/pulumi must not be a dependency",
    );
    assert.ok(peerRange, "no @pulumi/pulumi peer dependency");
    lowerBound(peerRange);
    assert.match(manifest.devDependencies?.["@pulumi/pulumi"] ?? "", /^\d+\.\d+\.\d+$/);
  });

  for (const variant of ["oldest", "newest"] as const) {
    describe(`${variant} supported @pulumi/pulumi`, function () {
      let sdkVersion: string;
      let dir: string;
      let emulator: RunningEmulator;
      let ws: PulumiWorkspace;

      before(async function () {
        if (!binDir) this.skip();
        this.timeout(10 * 60 * 1000);
        const manifestFile = path.join(FIXTURES, variant, "package.json");
        sdkVersion = readManifest(manifestFile).dependencies?.["@pulumi/pulumi"] ?? "";
        assert.match(sdkVersion, /^\d+\.\d+\.\d+$/, `${manifestFile} must pin @pulumi/pulumi exactly`);
        dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `pulumi-mode-sdk-${variant}-`));
        await fs.promises.cp(path.join(FIXTURES, "program"), dir, { recursive: true });
        await fs.promises.copyFile(manifestFile, path.join(dir, "package.json"));
        await fs.promises.copyFile(tarball, path.join(dir, "pulumi-mode.tgz"));
        const started = Date.now();
        await npm(["install", "--no-audit", "--no-fund", "--prefer-offline"], dir);
        console.log(
          `      npm install (@pulumi/pulumi ${sdkVersion}): ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );

        emulator = await startEmulator({ port: 0 });
        ws = await PulumiWorkspace.create({ programDir: dir, binDir, stack: variant });
        // Credentials only as stack config (no MODE_* variables): they must reach the provider
        // through the dynamic provider's configure().
        for (const [key, value] of Object.entries({
          "mode:apiToken": emulator.seed.mode.token,
          "mode:apiSecret": emulator.seed.mode.secret,
          "mode:orgApiToken": emulator.seed.org.token,
        })) {
          await ws.setConfig(key, value, { secret: true });
        }
        await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
        await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
        await ws.setConfig("workspace", emulator.seed.mode.workspace);
        await ws.setConfig("space", emulator.seed.mode.spaces[0]);
        await ws.setConfig("memberToken", emulator.seed.mode.users[0].token);
        await ws.setConfig("organizationId", emulator.seed.org.organizationId);
      });

      after(async () => {
        await ws?.dispose();
        await emulator?.close();
        if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
      });

      it(`the fixture pins the ${variant} version of the peer range`, () => {
        const floor = lowerBound(peerRange ?? "");
        if (variant === "oldest")
          assert.equal(sdkVersion, floor, "the oldest fixture must pin the range's lower bound");
        else assert.ok(compareVersions(sdkVersion, floor) >= 0 && sdkVersion.startsWith("3."));
      });

      it("npm installs exactly one @pulumi/pulumi, the program's pinned one", async () => {
        const { stdout } = await npm(["ls", "@pulumi/pulumi", "--all", "--parseable"], dir);
        const copies = stdout
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => line !== "");
        assert.deepEqual(copies, [path.join(dir, "node_modules", "@pulumi", "pulumi")]);
        const installed = readManifest(path.join(copies[0], "package.json")) as { version?: string };
        assert.equal(installed.version, sdkVersion);
        assert.ok(!fs.existsSync(path.join(dir, "node_modules", "pulumi-mode", "node_modules", "@pulumi")));
        // The installed package is the tarball, not a link to the checkout.
        assert.ok(!fs.lstatSync(path.join(dir, "node_modules", "pulumi-mode")).isSymbolicLink());
      });

      it("pulumi up creates the resources, running on the pinned SDK", async () => {
        await ws.up();
        const outputs = await ws.outputs();
        assert.equal(outputs.sdkVersion, sdkVersion);
        assert.equal(outputs.inviteStatus, "pending");
        assert.equal(typeof outputs.membershipToken, "string");
        assert.equal(modeResources(await ws.stackExport()).length, 2);
        const preview = await ws.previewJson();
        assert.deepEqual(preview.changeSummary, { same: 3 }, "a preview right after up shows no change");
      });

      it("the member removed from the space behind Pulumi's back → pulumi preview shows the replace", async () => {
        const member = modeResources(await ws.stackExport()).find((r) => r.name === "member");
        assert.ok(member, "no member resource in the stack");
        const { account, space, token } = member.outputs as Record<string, string>;
        const removed = await req(
          "DELETE",
          `${emulator.modeApiUrl}/${account}/spaces/${space}/memberships/${token}`,
          {
            auth: basic(emulator.seed.mode.token, emulator.seed.mode.secret),
          },
        );
        assert.ok(removed.status < 300, `the out-of-band removal failed: ${removed.status} ${removed.text}`);

        const preview = await ws.previewJson();
        const changed = (preview.steps ?? []).filter((s) => s.op !== "same");
        assert.deepEqual(
          changed.map((s) => [s.op, s.urn.split("::").pop(), s.replaceReasons]),
          [["replace", "member", ["token"]]],
        );
        const text = await ws.preview();
        assert.match(text.stdout, /\+-\s+pulumi-nodejs:dynamic\/mode:SpaceMembership member replace/);
      });

      it("pulumi destroy leaves nothing, in the stack or in the emulator", async () => {
        await ws.destroy();
        assert.equal(modeResources(await ws.stackExport()).length, 0);
        interface State {
          spaceMemberships: unknown[];
          orgInvites: unknown[];
        }
        const state = (await control<State>(emulator, "GET", "/state")).json;
        assert.deepEqual(state.spaceMemberships, [], "space memberships left behind");
        assert.deepEqual(state.orgInvites, [], "organization invites left behind");
      });
    });
  }
});
