/**
 * A stack created with one build of pulumi-mode is previewed, refreshed and destroyed by a changed
 * build, and the changed code is what runs: the serialized provider in the state is only a shim that
 * loads the installed package by name (DESIGN.md, pulumi/pulumi#6238, #16826).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { engineOrSkip, PulumiWorkspace, repoRoot } from "../../testing/engine";

const MARKER = "pulumi-mode changed build is running";

/** Installs a copy of this package (package.json + dist) into `<dir>/node_modules/pulumi-mode`. */
async function installCopy(dir: string): Promise<string> {
  const root = repoRoot();
  const nodeModules = path.join(dir, "node_modules");
  await fs.promises.mkdir(nodeModules, { recursive: true });
  for (const entry of await fs.promises.readdir(path.join(root, "node_modules"))) {
    if (entry === "pulumi-mode" || entry.startsWith(".")) continue;
    await fs.promises.symlink(path.join(root, "node_modules", entry), path.join(nodeModules, entry), "dir");
  }
  const pkg = path.join(nodeModules, "pulumi-mode");
  await fs.promises.mkdir(pkg);
  await fs.promises.copyFile(path.join(root, "package.json"), path.join(pkg, "package.json"));
  await fs.promises.cp(path.join(root, "dist"), path.join(pkg, "dist"), { recursive: true });
  return pkg;
}

/** Rebuilds the installed copy with a visible change: every provider call announces itself. */
async function changeBuild(pkg: string): Promise<void> {
  const file = path.join(pkg, "dist", "provider", "index.js");
  const source = await fs.promises.readFile(file, "utf8");
  const anchor = "function resourceProvider(kind) {";
  assert.ok(source.includes(anchor), "the provider entry point moved; update this test");
  const changed = source.replace(anchor, `${anchor}\n    console.warn("warning: ${MARKER} (" + kind + ")");`);
  await fs.promises.writeFile(file, changed);
}

describe("end to end: a changed build takes over an existing stack", function () {
  this.timeout(10 * 60 * 1000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;
  let dir: string;
  let pkg: string;

  before(async function () {
    await engineOrSkip(this, "the upgrade test");
    emulator = await startEmulator({ port: 0 });
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-upgrade-"));
    pkg = await installCopy(dir);
    const program = path.join(dir, "program");
    await fs.promises.cp(path.join(repoRoot(), "examples", "org-invite"), program, { recursive: true });
    await fs.promises.rm(path.join(program, "package.json"));
    ws = await PulumiWorkspace.create({ programDir: program, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
    await ws.setConfig("mode:orgApiToken", emulator.seed.org.token, { secret: true });
    await ws.setConfig("mode:apiToken", emulator.seed.mode.token, { secret: true });
    await ws.setConfig("mode:apiSecret", emulator.seed.mode.secret, { secret: true });
    await ws.setConfig("organizationId", emulator.seed.org.organizationId);
  });

  after(async () => {
    await ws?.dispose();
    await emulator?.close();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it("the first build creates the stack (and does not announce itself)", async () => {
    const up = await ws.up();
    assert.ok(!(up.stdout + up.stderr).includes(MARKER));
    const state = await ws.stackExport();
    const providers = (state.deployment.resources ?? [])
      .filter((r) => r.type === "pulumi-nodejs:dynamic/mode:OrgInvite")
      .map((r) => String(r.inputs?.__provider));
    assert.equal(providers.length, 2);
    for (const provider of providers) {
      assert.match(provider, /pulumi-mode/, "the state holds the shim, which loads the package by name");
      assert.ok(!provider.includes(dir) && !provider.includes(repoRoot()), "no absolute path in the state");
    }
  });

  it("after the package changes, preview, refresh and destroy run the changed code", async () => {
    await changeBuild(pkg);
    const preview = await ws.preview();
    assert.match(preview.stdout + preview.stderr, new RegExp(`${MARKER} \\(OrgInvite\\)`));
    const refresh = await ws.refresh();
    assert.match(refresh.stdout + refresh.stderr, new RegExp(MARKER));
    const destroy = await ws.destroy();
    assert.match(destroy.stdout + destroy.stderr, new RegExp(MARKER));
    const invites = await fetch(
      `${emulator.orgApiUrl}/api/v2/organizations/${emulator.seed.org.organizationId}/invites`,
      { headers: { authorization: `Bearer ${emulator.seed.org.token}` } },
    );
    const body = (await invites.json()) as { data: unknown[] };
    assert.equal(body.data.length, 0, "the changed build deleted the invites");
  });
});
