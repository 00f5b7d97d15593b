/**
 * The `pulumi-mode generate` guarantee through the real Pulumi engine (issue 19): on a seeded
 * workspace of 300+ members, 10 groups, 20 collections and 3 connections, with pending and expired
 * invites, a deactivated member, admins, a SCIM member, a SCIM-managed group, a personal collection,
 * and grants to an invitee, the generated project's first `pulumi up` against the same workspace
 * sends the API no write (the emulator's request log holds only GETs), and `pulumi preview
 * --expect-no-changes` then passes. The command runs as the package's bin, in its own process.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RequestCounts, type RunningEmulator } from "../../emulator";
import {
  addGroupMemberOutside,
  basic,
  control,
  ensurePersonalCollection,
  listAll,
  req,
  setGroupManaged,
  setMemberAdmin,
  setMemberScim,
  type MembershipBody,
} from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot } from "../../testing/engine";

const BIN = path.join(repoRoot(), "dist", "cli", "index.js");

/** Runs the bin; resolves with its exit code and output. */
function pulumiMode(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function requestLog(emu: RunningEmulator): Promise<RequestCounts> {
  const res = await control<RequestCounts>(emu, "GET", "/requests");
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function resetRequestLog(emu: RunningEmulator): Promise<void> {
  assert.equal((await control(emu, "DELETE", "/requests")).status, 200);
}

/** Every request of the log that is not a GET, as `"METHOD route": count`. */
function writes(log: RequestCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(log.byRoute).filter(([key]) => !key.startsWith("GET ")));
}

describe("pulumi-mode generate through the engine: the first up writes nothing", function () {
  this.timeout(20 * 60_000);
  let emu: RunningEmulator;
  let env: Record<string, string>;
  const dirs: string[] = [];
  const workspaces: PulumiWorkspace[] = [];

  before(async function () {
    await engineOrSkip(this, "the generate engine test");
    emu = await startEmulator({ seed: { users: 300, userGroups: 10, spaces: 20, dataSources: 3 } });
    const seed = emu.seed.mode;
    const workspace = seed.workspace;
    const auth = basic(seed.token, seed.secret);
    const api = `${emu.modeApiUrl}/${workspace}`;
    env = { MODE_API_URL: emu.modeApiUrl, MODE_API_TOKEN: seed.token, MODE_API_SECRET: seed.secret };
    const invite = async (email: string) => {
      const r = await req("POST", `${api}/invites`, {
        auth,
        body: { invite: { invitee: { email }, message: "hi" } },
      });
      assert.equal(r.status, 200, r.text);
    };
    // An invite that expires, then three that stay pending.
    await invite("late@example.com");
    assert.equal((await control(emu, "POST", "/clock/advance", { seconds: 8 * 24 * 3600 })).status, 200);
    for (const email of ["pending1@example.com", "pending2@example.com", "pending3@example.com"])
      await invite(email);
    const users = seed.users.map((u) => u.username);
    assert.equal(
      (await control(emu, "POST", "/mode/deactivate", { workspace, username: users[5] })).status,
      200,
    );
    await setMemberAdmin(emu, workspace, { username: users[6]! }, true);
    await setMemberScim(emu, workspace, { username: users[7]! }, true);
    // The last group is managed by the identity provider, with the SCIM member in it.
    const scimGroup = seed.userGroups[seed.userGroups.length - 1]!;
    await setGroupManaged(emu, workspace, scimGroup, true);
    await addGroupMemberOutside(emu, workspace, scimGroup, { username: users[7]! });
    await ensurePersonalCollection(emu, workspace, { username: users[8]! });
    // Grants to a pending invitee, on a collection and on a data source; an invitee in a group.
    const memberships = (
      await listAll<MembershipBody>(`${api}/memberships?per_page=1000`, auth, "memberships")
    ).all;
    const invitee = memberships.find((m) => m.state === "invited")!;
    const grant = async (url: string, action: string) => {
      const body = { permission: { action, accessor_type: "Account", accessor_token: invitee.member_token } };
      const r = await req("POST", url, { auth, body });
      assert.equal(r.status, 200, r.text);
    };
    await grant(`${api}/spaces/${seed.spaces[2]}/permissions`, "view");
    await grant(`${api}/data_sources/${seed.dataSources[2]!.token}/permissions`, "query");
    const joined = await req("POST", `${api}/groups/${seed.userGroups[0]}/memberships`, {
      auth,
      body: { membership: { member_token: invitee.member_token } },
    });
    assert.equal(joined.status, 200, joined.text);
    const states = new Set(memberships.map((m) => m.state));
    assert.ok(
      memberships.length >= 300 &&
        ["active", "invited", "expired", "deactivated"].every((s) => states.has(s)),
    );
  });

  after(async () => {
    for (const ws of workspaces) await ws.dispose().catch(() => undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    await emu?.close();
  });

  /** Generates with `extra` flags (reads only), installs the project with the repo's node_modules, ups it. */
  async function generateAndUp(extra: string[]): Promise<{ ws: PulumiWorkspace; generated: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-generated-"));
    dirs.push(dir);
    const out = path.join(dir, "program");
    await resetRequestLog(emu);
    const generated = await pulumiMode(
      ["generate", "--workspace", emu.seed.mode.workspace, "--out", out, ...extra],
      { PATH: process.env.PATH ?? "", ...env },
    );
    assert.equal(generated.code, 0, generated.stderr);
    assert.deepEqual(writes(await requestLog(emu)), {}, "generate only reads");
    // "npm install": the harness links the repository's node_modules (pulumi-mode is the checkout).
    fs.symlinkSync(path.join(repoRoot(), "node_modules"), path.join(dir, "node_modules"), "dir");
    const ws = await PulumiWorkspace.create({ programDir: out, env });
    workspaces.push(ws);
    await resetRequestLog(emu);
    await ws.up({ timeoutMs: 15 * 60_000 });
    const log = await requestLog(emu);
    console.log(`      first up: ${log.total} requests ${JSON.stringify(log.byRoute)}`);
    assert.deepEqual(writes(log), {}, `the first up sent writes: ${JSON.stringify(log.byRoute)}`);
    assert.ok(log.total > 0, "up read the workspace");
    await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], { timeoutMs: 15 * 60_000 });
    return { ws, generated: fs.readFileSync(path.join(out, "index.ts"), "utf8") };
  }

  it("with the members only (WorkspaceMembers), in report mode (the default)", async () => {
    const { generated } = await generateAndUp(["--include", "members"]);
    assert.match(generated, /new mode\.WorkspaceMembers\("workspace-members"/);
    assert.match(generated, /unmanaged: "report"/);
  });

  it("with the members only, in remove mode", async () => {
    const { generated } = await generateAndUp(["--include", "members", "--unmanaged", "remove"]);
    assert.ok(!generated.includes("unmanaged"));
  });

  it("with every part: members, groups, collections and data sources", async () => {
    const { ws, generated } = await generateAndUp([]);
    const count = (kind: string) => generated.split(`new mode.${kind}(`).length - 1;
    assert.equal(count("Group"), 9, "ten groups, one SCIM-managed");
    assert.equal(count("GroupMembers"), 9);
    assert.equal(count("CollectionAccess"), 20, "custom collections only");
    assert.ok(count("DataSourcePermission") >= 3);
    const state = await ws.stackExport();
    const groups = (state.deployment.resources ?? []).filter((r) => r.type.endsWith(":Group"));
    assert.equal(groups.length, 9);
    for (const g of groups) assert.equal(g.outputs?.adopted, true, g.urn);
  });
});
