/**
 * SpaceMembers and WorkspaceMembers through the real Pulumi engine, against the emulator
 * (program: tests/fixtures/members, declared per command through MEMBERS_PROGRAM).
 *
 * - Out-of-band additions and removals on both kinds show in a plain `pulumi preview` as an update
 *   with one exact line per resource naming who is added and removed; `up` repairs them (only the
 *   needed writes) and the next preview is clean. Admins, SCIM-managed members and the API user are
 *   reported and survive.
 * - Conflicting declarations fail the preview with a message naming the space or workspace.
 * - A failing `up` (faults, malformed answers, lost responses) and a SIGKILL mid-`up` followed by
 *   the recovery of docs/guides/interrupted-up.md converge on the next `up` to exactly the declared set.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, control, ensureMember, listAll, req, setMemberScim } from "../../testing/emulator-control";
import {
  engineOrSkip,
  killProcessTree,
  PulumiWorkspace,
  removeEmptySidecars,
  repoRoot,
} from "../../testing/engine";

const PROGRAM_DIR = path.join(repoRoot(), "tests", "fixtures", "members");

/** What the fixture program declares (see its header). */
interface Program {
  account?: string;
  space?: string;
  users?: string[];
  userGroups?: string[];
  workspace?: string;
  invites?: string[];
  usernames?: string[];
  conflict?: "space-membership" | "space-members" | "workspace-members";
}

/** The parts of the emulator's `GET /_control/state` these tests read. */
interface EmulatorState {
  users: { id: number; username: string; email: string; token: string }[];
  memberships: { workspaceId: number; userId: number; state: string }[];
  spaces: { id: number; token: string }[];
  userGroups: { id: number; token: string }[];
  spaceMemberships: { spaceId: number; memberType: string; memberToken: string }[];
}

async function emulatorState(emulator: RunningEmulator): Promise<EmulatorState> {
  const res = await control<EmulatorState>(emulator, "GET", "/state");
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The space's members as sorted `User/<token>` / `UserGroup/<token>` keys. */
async function spaceMembers(emulator: RunningEmulator, space: string): Promise<string[]> {
  const state = await emulatorState(emulator);
  const id = state.spaces.find((s) => s.token === space)?.id;
  return state.spaceMemberships
    .filter((m) => m.spaceId === id)
    .map((m) => `${m.memberType}/${m.memberToken}`)
    .sort();
}

/** The workspace's members as sorted `<username>:<state>`. */
async function workspaceMembers(emulator: RunningEmulator): Promise<string[]> {
  const state = await emulatorState(emulator);
  const name = new Map(state.users.map((u) => [u.id, u.username]));
  return state.memberships.map((m) => `${name.get(m.userId) ?? m.userId}:${m.state}`).sort();
}

/**
 * How often `line` appears as a warning under the command's Diagnostics (the progress display
 * above it shows each warning once more as it happens).
 */
function diagnosticCount(output: string, line: string): number {
  const at = output.indexOf("\nDiagnostics:");
  if (at < 0) return 0;
  return output
    .slice(at)
    .split("\n")
    .filter((l) => l.trim() === `warning: ${line}`).length;
}

describe("SpaceMembers and WorkspaceMembers through the engine", function () {
  this.timeout(10 * 60_000);
  const emulators: RunningEmulator[] = [];
  const workspaces: PulumiWorkspace[] = [];

  before(async function () {
    await engineOrSkip(this, "the members engine tests");
  });

  after(async () => {
    for (const ws of workspaces) await ws.dispose().catch(() => undefined);
    for (const emulator of emulators) await emulator.close().catch(() => undefined);
  });

  /** A fresh emulator and stack; `run` runs a pulumi command with the given program. */
  async function setup(seed?: { users?: number; spaces?: number; userGroups?: number }) {
    const emulator = await startEmulator({ port: 0, ...(seed ? { seed } : {}) });
    emulators.push(emulator);
    const ws = await PulumiWorkspace.create({
      programDir: PROGRAM_DIR,
      env: {
        MODE_API_URL: emulator.modeApiUrl,
        MODE_API_TOKEN: emulator.seed.mode.token,
        MODE_API_SECRET: emulator.seed.mode.secret,
      },
    });
    workspaces.push(ws);
    const env = (program: Program) => ({ MEMBERS_PROGRAM: JSON.stringify(program) });
    return {
      emulator,
      ws,
      env,
      up: (program: Program, allowFailure = false) => ws.up({ env: env(program), allowFailure }),
      preview: (program: Program, allowFailure = false) => ws.preview({ env: env(program), allowFailure }),
      clean: (program: Program) =>
        ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], { env: env(program) }),
    };
  }

  describe("drift, repair, what is protected, conflicts", () => {
    let s: Awaited<ReturnType<typeof setup>>;
    let program: Program;
    let space: string;
    let group: string;
    let workspace: string;
    const token = (username: string): string =>
      s.emulator.seed.mode.users.find((u) => u.username === username)?.token ?? assert.fail(username);

    before(async () => {
      s = await setup();
      const seed = s.emulator.seed.mode;
      space = seed.spaces[0];
      group = seed.userGroups[0];
      workspace = seed.workspace;
      program = {
        account: workspace,
        space,
        users: [token("ada"), token("grace")],
        userGroups: [group],
        workspace,
        invites: ["hopper@example.com"],
        usernames: ["ada", "grace", "alan"],
      };
    });

    it("up makes the space and the workspace hold exactly the declared members; the admin stays", async () => {
      const up = await s.up(program);
      assert.equal(
        diagnosticCount(
          up.stdout,
          "mode:WorkspaceMembers workspace acme-analytics: 2 members are not in the program — up removes edsger, " +
            "barbara; keeps admin (admin), never removed by pulumi-mode",
        ),
        1,
        up.stdout,
      );
      assert.deepEqual(
        await spaceMembers(s.emulator, space),
        [`User/${token("ada")}`, `User/${token("grace")}`, `UserGroup/${group}`].sort(),
      );
      // edsger and barbara were members but are not declared: removed. The invitee counts.
      assert.deepEqual(await workspaceMembers(s.emulator), [
        "ada:active",
        "admin:active",
        "alan:active",
        "grace:active",
        "hopper:invited",
      ]);
      const outputs = await s.ws.outputs();
      assert.deepEqual(outputs.workspaceRemoved, [
        { username: "barbara", memberToken: token("barbara"), state: "active" },
        { username: "edsger", memberToken: token("edsger"), state: "active" },
      ]);
      assert.deepEqual(outputs.workspaceKept, [{ username: "admin", because: "admin" }]);
      await s.clean(program);
    });

    it("out-of-band changes show in plain `pulumi preview` as one line per resource; up repairs them; preview is clean", async () => {
      const auth = basic(s.emulator.seed.mode.token, s.emulator.seed.mode.secret);
      const spaceUrl = `${s.emulator.modeApiUrl}/${workspace}/spaces/${space}/memberships`;
      // Space: alan is added, the group removed, outside Pulumi.
      const added = await req("POST", spaceUrl, {
        auth,
        body: { membership: { member_type: "User", member_token: token("alan") } },
      });
      assert.equal(added.status, 200, added.text);
      const listing = await listAll<{ token: string; member_token: string }>(spaceUrl, auth, "memberships");
      const groupMembership = listing.all.find((m) => m.member_token === group);
      assert.ok(groupMembership);
      const removed = await req("DELETE", `${spaceUrl}/${groupMembership.token}`, { auth });
      assert.equal(removed.status, 200, removed.text);
      // Workspace: mallory joins, eve is invited, sam joins and is SCIM-managed.
      await ensureMember(s.emulator, workspace, { username: "mallory" });
      const invited = await req("POST", `${s.emulator.modeApiUrl}/${workspace}/invites`, {
        auth,
        body: { invite: { invitee: { email: "eve@example.com" }, message: "hi" } },
      });
      assert.equal(invited.status, 200, invited.text);
      await ensureMember(s.emulator, workspace, { username: "sam" });
      await setMemberScim(s.emulator, workspace, { username: "sam" }, true);

      const preview = await s.preview(program);
      const text = preview.stdout + preview.stderr;
      const spaceLine =
        `mode:SpaceMembers space ${space} of ${workspace}: 2 members differ from the program — ` +
        `up adds user group ${group}; removes user ${token("alan")} (alan@acme.example)`;
      const workspaceLine =
        `mode:WorkspaceMembers workspace ${workspace}: 2 members are not in the program — up removes ` +
        "mallory, eve (pending invite: revoked); keeps admin (admin), sam (managed by SCIM), never removed by pulumi-mode";
      assert.equal(diagnosticCount(text, spaceLine), 1, text);
      assert.equal(diagnosticCount(text, workspaceLine), 1, text);
      assert.match(preview.stdout, /^ ~ +pulumi-nodejs:dynamic\/mode:SpaceMembers team-space update *$/m);
      assert.match(preview.stdout, /^ ~ +pulumi-nodejs:dynamic\/mode:WorkspaceMembers team update *$/m);
      assert.match(preview.stdout, /~ 2 to update/);

      await control(s.emulator, "DELETE", "/requests");
      await s.up(program);
      const requests = await control<{ byRoute: Record<string, number> }>(s.emulator, "GET", "/requests");
      // Only the needed writes: one create and one delete in the space, two workspace removals.
      assert.equal(requests.json.byRoute["POST mode.spaceMemberships.create"], 1);
      assert.equal(requests.json.byRoute["DELETE mode.spaceMemberships.delete"], 1);
      assert.equal(requests.json.byRoute["DELETE mode.memberships.delete"], 2);
      assert.deepEqual(
        await spaceMembers(s.emulator, space),
        [`User/${token("ada")}`, `User/${token("grace")}`, `UserGroup/${group}`].sort(),
      );
      assert.deepEqual(await workspaceMembers(s.emulator), [
        "ada:active",
        "admin:active",
        "alan:active",
        "grace:active",
        "hopper:invited",
        "sam:active",
      ]);
      await s.clean(program);
    });

    it("changing the declared lists is an in-place update, never a replace", async () => {
      const next = { ...program, users: [token("ada")], usernames: ["ada", "alan"] };
      const up = await s.up(next);
      assert.match(up.stdout, /~ 2 updated/);
      assert.doesNotMatch(up.stdout, /replace/);
      assert.deepEqual(
        await spaceMembers(s.emulator, space),
        [`User/${token("ada")}`, `UserGroup/${group}`].sort(),
      );
      assert.ok(!(await workspaceMembers(s.emulator)).includes("grace:active"));
      program = next;
    });

    for (const [conflict, message] of [
      [
        "space-membership",
        /mode:SpaceMembership "one-user" would manage user \w+ in space \w+ of acme-analytics, but mode:SpaceMembers "team-space" already manages every member of space \w+ of acme-analytics/,
      ],
      [
        "space-members",
        /mode:SpaceMembers "(other-space|team-space)" would manage every member of space \w+ of acme-analytics, but mode:SpaceMembers "(team-space|other-space)" already manages every member of space \w+ of acme-analytics/,
      ],
      [
        "workspace-members",
        /mode:WorkspaceMembers "(other|team)" would manage the member list of workspace acme-analytics, but mode:WorkspaceMembers "(team|other)" already manages the member list of workspace acme-analytics/,
      ],
    ] as const) {
      it(`a conflicting declaration (${conflict}) fails the preview, naming the space or workspace`, async () => {
        const preview = await s.preview({ ...program, conflict }, true);
        assert.notEqual(preview.code, 0);
        assert.match(preview.stdout + preview.stderr, message);
      });
    }
  });

  it("a failed up (faults, malformed answers, a lost response) converges on the next up", async () => {
    const s = await setup({ users: 12, spaces: 1, userGroups: 2 });
    const seed = s.emulator.seed.mode;
    const users = seed.users.map((u) => u.token);
    const program: Program = {
      account: seed.workspace,
      space: seed.spaces[0],
      users: users.slice(0, 8),
      userGroups: seed.userGroups,
      workspace: seed.workspace,
      usernames: seed.users.slice(0, 8).map((u) => u.username),
    };
    await control(s.emulator, "PUT", "/faults", {
      faultRate: 0.2,
      retryAfterSeconds: 0,
      routes: {
        "mode.spaceMemberships.create": { malformed: "truncated", times: 3 },
        "mode.memberships.delete": { dropAfterCommit: 1, times: 1 },
      },
    });
    const failed = await s.up(program, true);
    assert.notEqual(failed.code, 0, "the malformed answers must fail the run");
    assert.match(failed.stdout + failed.stderr, /changes failed \(/);
    await control(s.emulator, "PUT", "/faults", {});
    await s.up(program);
    const expected = [
      ...users.slice(0, 8).map((t) => `User/${t}`),
      ...seed.userGroups.map((g) => `UserGroup/${g}`),
    ];
    assert.deepEqual(await spaceMembers(s.emulator, seed.spaces[0]), expected.sort());
    assert.deepEqual(
      await workspaceMembers(s.emulator),
      ["admin", ...seed.users.slice(0, 8).map((u) => u.username)].map((u) => `${u}:active`).sort(),
    );
    await s.clean(program);
  });

  it("SIGKILL mid-up (in the create, then in an update), then cancel, refresh --clear-pending-creates, up: exactly the declared set", async () => {
    const s = await setup({ users: 40, spaces: 1, userGroups: 2 });
    const seed = s.emulator.seed.mode;
    const space = seed.spaces[0];
    const requests = async (): Promise<Record<string, number>> =>
      (await control<{ byRoute: Record<string, number> }>(s.emulator, "GET", "/requests")).json.byRoute;

    /** Starts `up`, SIGKILLs it once `after` creates reached the emulator; returns what the space holds. */
    async function killedUp(program: Program, after: number): Promise<string[]> {
      await control(s.emulator, "PUT", "/faults", {
        routes: { "mode.spaceMemberships.create": { latencyMs: 400 } },
      });
      await control(s.emulator, "DELETE", "/requests");
      const child = s.ws.spawn(["up", "--yes", "--skip-preview", "--stack", s.ws.stack], s.env(program));
      let output = "";
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (output += d));
      child.stderr?.setEncoding("utf8").on("data", (d: string) => (output += d));
      const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
      const deadline = Date.now() + 2 * 60_000;
      try {
        while (((await requests())["POST mode.spaceMemberships.create"] ?? 0) < after) {
          assert.ok(Date.now() < deadline, `the run never reached ${after} creates:\n${output}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await killProcessTree(child);
        await exited;
      }
      await new Promise((r) => setTimeout(r, 600)); // creates in flight still commit
      await control(s.emulator, "PUT", "/faults", {});
      return spaceMembers(s.emulator, space);
    }

    /** The recovery of docs/guides/interrupted-up.md, command for command. */
    async function recover(program: Program): Promise<void> {
      removeEmptySidecars(s.ws.stateDir);
      await s.ws.run(["cancel", "--yes", "--stack", s.ws.stack]);
      await s.ws.run(["refresh", "--yes", "--clear-pending-creates", "--stack", s.ws.stack], {
        env: s.env(program),
      });
      await s.up(program);
    }

    const keys = (users: string[], groups: string[]): string[] =>
      [...users.map((t) => `User/${t}`), ...groups.map((g) => `UserGroup/${g}`)].sort();

    // 1. Killed inside the resource's create: the pending create is dropped, the next create adopts.
    const first: Program = {
      account: seed.workspace,
      space,
      users: seed.users.slice(0, 20).map((u) => u.token),
      userGroups: seed.userGroups,
    };
    const partial = await killedUp(first, 5);
    assert.ok(partial.length >= 5 && partial.length < 22, `after the kill the space holds ${partial.length}`);
    await recover(first);
    assert.deepEqual(await spaceMembers(s.emulator, space), keys(first.users ?? [], seed.userGroups));
    const outputs = await s.ws.outputs();
    // The recovering up adopted what the killed one had added: it added only the rest.
    assert.equal((outputs.spaceAdded as unknown[]).length, 22 - partial.length);
    await s.clean(first);

    // 2. Killed inside an in-place update (20 users more, the groups dropped): the next up finishes it.
    const second: Program = { ...first, users: seed.users.map((u) => u.token), userGroups: [] };
    const halfway = await killedUp(second, 5);
    assert.ok(
      halfway.length > 22 - 2 && halfway.length < 40,
      `after the kill the space holds ${halfway.length}`,
    );
    await recover(second);
    assert.deepEqual(await spaceMembers(s.emulator, space), keys(second.users ?? [], []));
    await s.clean(second);
  });
});
