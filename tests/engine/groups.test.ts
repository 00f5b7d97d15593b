/**
 * Group, GroupMembers and GroupMembership through the real Pulumi engine, against the emulator
 * (program: tests/fixtures/groups, declared per command through GROUPS_PROGRAM): a new group with
 * its whole member list, and one person added to a seeded group (GroupMembers claims its group's
 * whole membership, so the GroupMembership is on another group).
 *
 * Each out-of-band change — a member added, a member removed, a membership removed, the group
 * renamed, a person leaving the workspace, the group deleted — shows in a plain `pulumi preview` as
 * ONE reason line naming the person or group (asserted exactly); `up` repairs it with only the
 * needed writes (the emulator's request log, by route); the next preview is clean
 * (`--expect-no-changes`). Destroy meets Mode's rename-before-delete quirk (the group was created
 * again after a delete), fails saying so, and after the rename leaves no group or membership the
 * stack created (checked through the API). A second stack declares a new GroupMembers of a seeded
 * group: its preview shows whom the first `up` adds and removes, and refuses over `maxRemovals`.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  addGroupMemberOutside,
  basic,
  deleteGroupOutside,
  ensureMember,
  listAll,
  removeFromWorkspace,
  removeGroupMemberOutside,
  renameGroupOutside,
  req,
  type GroupBody,
  type GroupMembershipBody,
} from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot, type PulumiRun } from "../../testing/engine";
import { resourceErrors, takeRequests, warnings, writes } from "../support/engine-output";

const PROGRAM_DIR = path.join(repoRoot(), "tests", "fixtures", "groups");

/** What the fixture program declares (see its header). */
interface Program {
  workspace: string;
  groupName?: string;
  usernames?: string[];
  unmanaged?: "remove" | "report";
  maxRemovals?: number;
  membership?: { group: string; username: string };
  existing?: { group: string; usernames: string[]; maxRemovals?: number };
}

describe("Group, GroupMembers and GroupMembership through the engine", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;
  let program: Program;
  let workspace: string;
  /** The seeded group the GroupMembership adds a person to. */
  let other: { token: string; name: string };

  const env = (p: Program) => ({ env: { GROUPS_PROGRAM: JSON.stringify(p) } });
  const up = (p: Program = program, allowFailure = false) => ws.up({ ...env(p), allowFailure });
  const preview = (p: Program = program) => ws.preview(env(p));
  const clean = (p: Program = program) =>
    ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], env(p));
  const auth = () => basic(emulator.seed.mode.token, emulator.seed.mode.secret);
  const groupToken = async (): Promise<string> => String((await ws.outputs()).groupToken);

  /** The workspace's active groups, through the API. */
  async function activeGroups(): Promise<GroupBody[]> {
    const url = `${emulator.modeApiUrl}/${workspace}/groups`;
    return (await listAll<GroupBody>(url, auth(), "groups")).all;
  }

  /** The usernames in a group, through the API (group memberships, named by the workspace's listing). */
  async function usernamesIn(group: string): Promise<string[]> {
    const base = `${emulator.modeApiUrl}/${workspace}`;
    const members = await listAll<GroupMembershipBody>(
      `${base}/groups/${group}/memberships`,
      auth(),
      "group_memberships",
    );
    const people = await listAll<{ member_token: string; member_username: string }>(
      `${base}/memberships`,
      auth(),
      "memberships",
    );
    const names = new Map(people.all.map((m) => [m.member_token, m.member_username]));
    return members.all.map((m) => names.get(m.member_token) ?? m.member_token).sort();
  }

  /**
   * A plain `pulumi preview` shows exactly `line` and the step `step` (e.g. `~ ... GroupMembers team
   * update`); then `up` sends exactly `expected` writes and the next preview is clean.
   */
  async function repairs(
    line: string,
    step: RegExp,
    expected: Record<string, number>,
    counts: Record<string, number>,
  ): Promise<PulumiRun> {
    const shown = await preview();
    assert.deepEqual(warnings(shown), [line], shown.stdout);
    assert.match(shown.stdout, step);
    // Only that step, and what follows from it (a rename keeps group.token known: nothing is replaced).
    assert.deepEqual(changeCounts(shown), counts, shown.stdout);
    await takeRequests(emulator);
    const run = await up();
    assert.deepEqual(writes(await takeRequests(emulator)), expected, run.stdout);
    await clean();
    return run;
  }

  /** The preview's summary of changes, e.g. `{ update: 1 }` for `~ 1 to update`. */
  const changeCounts = (run: PulumiRun): Record<string, number> =>
    Object.fromEntries(
      [...run.stdout.matchAll(/^ +[~+-]+ ?(\d+) to (\w+)$/gm)].map((m) => [m[2], Number(m[1])]),
    );

  const step = (op: "update" | "replace", kind: string, name: string) =>
    new RegExp(`^ ${op === "update" ? "~" : "\\+-"} +pulumi-nodejs:dynamic/mode:${kind} ${name} ${op}`, "m");

  before(async function () {
    await engineOrSkip(this, "the groups engine tests");
    emulator = await startEmulator({ port: 0 });
    workspace = emulator.seed.mode.workspace;
    const second = emulator.seed.mode.groups[1];
    assert.ok(second, "the default seed has two groups");
    other = second;
    program = {
      workspace,
      groupName: "Analysts",
      usernames: ["ada", "Grace"],
      membership: { group: other.token, username: "alan" },
    };
    ws = await PulumiWorkspace.create({
      programDir: PROGRAM_DIR,
      env: {
        MODE_API_URL: emulator.modeApiUrl,
        MODE_API_TOKEN: emulator.seed.mode.token,
        MODE_API_SECRET: emulator.seed.mode.secret,
      },
    });
  });
  after(async () => {
    await ws?.dispose().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
  });

  it("up creates the group, fills it, adds one person to another group; the next preview is clean", async () => {
    await takeRequests(emulator);
    const run = await up();
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "POST mode.groups.create": 1,
      "POST mode.groupMemberships.create": 3,
    });
    assert.deepEqual(warnings(run), [
      `mode:GroupMembers group "Analysts" of ${workspace}: 2 members differ from the program — up adds ada, grace`,
    ]);
    const outputs = await ws.outputs();
    assert.deepEqual(outputs.members, [
      { username: "ada", memberToken: token("ada") },
      { username: "grace", memberToken: token("grace") },
    ]);
    assert.deepEqual(outputs.missing, []);
    assert.equal(outputs.groupAdopted, false);
    assert.equal(outputs.reviewerAdopted, false);
    assert.deepEqual(await usernamesIn(await groupToken()), ["ada", "grace"]);
    assert.ok((await usernamesIn(other.token)).includes("alan"));
    await clean();
  });

  it("a member added outside Pulumi: one line naming them; up removes them (one DELETE)", async () => {
    await addGroupMemberOutside(emulator, workspace, await groupToken(), { username: "edsger" });
    await repairs(
      `mode:GroupMembers group "Analysts" of ${workspace}: 1 member differs from the program — up removes edsger`,
      step("update", "GroupMembers", "team"),
      { "DELETE mode.groupMemberships.delete": 1 },
      { update: 1 },
    );
    assert.deepEqual(await usernamesIn(await groupToken()), ["ada", "grace"]);
  });

  it("a member removed outside Pulumi: one line naming them; up adds them back (one POST)", async () => {
    await removeGroupMemberOutside(emulator, workspace, await groupToken(), { username: "grace" });
    await repairs(
      `mode:GroupMembers group "Analysts" of ${workspace}: 1 member differs from the program — up adds grace`,
      step("update", "GroupMembers", "team"),
      { "POST mode.groupMemberships.create": 1 },
      { update: 1 },
    );
    assert.deepEqual(await usernamesIn(await groupToken()), ["ada", "grace"]);
  });

  it("the GroupMembership removed outside Pulumi: one line naming person and group; up adds it again", async () => {
    await removeGroupMemberOutside(emulator, workspace, other.token, { username: "alan" });
    await repairs(
      `mode:GroupMembership alan in group "${other.name}" of ${workspace}: removed from the group outside ` +
        "Pulumi — up adds them again",
      step("replace", "GroupMembership", "reviewer"),
      { "POST mode.groupMemberships.create": 1 },
      { replace: 1 },
    );
    assert.ok((await usernamesIn(other.token)).includes("alan"));
  });

  it("the group renamed outside Pulumi: one line naming both names; up renames it back (one PATCH)", async () => {
    await renameGroupOutside(emulator, workspace, await groupToken(), "Data team");
    await repairs(
      `mode:Group group "Analysts" in ${workspace} was renamed outside Pulumi to "Data team" — up renames it back`,
      step("update", "Group", "team"),
      { "PATCH mode.groups.update": 1 },
      { update: 1 },
    );
    const names = (await activeGroups()).map((g) => g.name);
    assert.ok(names.includes("Analysts") && !names.includes("Data team"), names.join(", "));
  });

  it("the person of the GroupMembership left the workspace: the line says so; up fails pointing at WorkspaceInvite; back, up adds them", async () => {
    await removeFromWorkspace(emulator, workspace, { username: "alan" });
    const shown = await preview();
    assert.deepEqual(warnings(shown), [
      `mode:GroupMembership alan in group "${other.name}" of ${workspace}: alan left the workspace (Mode removed ` +
        "their group memberships with them) — up fails until they are a member again: invite them with " +
        "mode.WorkspaceInvite, or remove this resource",
    ]);
    assert.deepEqual(changeCounts(shown), { replace: 1 });
    await takeRequests(emulator);
    const failed = await up(program, true);
    assert.notEqual(failed.code, 0);
    const errors = resourceErrors(failed, "pulumi-nodejs:dynamic/mode:GroupMembership (reviewer)");
    assert.equal(errors.length, 1, failed.stdout);
    assert.match(
      errors[0] ?? "",
      /^Cannot add alan to a group of \S+: \S+ has no member alan.*mode\.WorkspaceInvite/,
    );
    assert.deepEqual(writes(await takeRequests(emulator)), {}, "nothing is sent");

    await ensureMember(emulator, workspace, { username: "alan" });
    await repairs(
      `mode:GroupMembership alan in group "${other.name}" of ${workspace}: removed from the group outside ` +
        "Pulumi — up adds them again",
      step("replace", "GroupMembership", "reviewer"),
      { "POST mode.groupMemberships.create": 1 },
      { replace: 1 },
    );
  });

  it("a declared member left the workspace: reported as missing (no write); added by the first up after they join", async () => {
    await removeFromWorkspace(emulator, workspace, { username: "grace" });
    const missing =
      `mode:GroupMembers group "Analysts" of ${workspace}: Grace is not a member of ${workspace} — added once ` +
      "they join (invite them with mode.WorkspaceInvite)";
    const shown = await preview();
    assert.deepEqual(warnings(shown), [missing]);
    assert.match(shown.stdout, step("update", "GroupMembers", "team"));
    assert.deepEqual(changeCounts(shown), { update: 1 });
    await takeRequests(emulator);
    await up();
    assert.deepEqual(writes(await takeRequests(emulator)), {});
    assert.deepEqual((await ws.outputs()).missing, ["Grace"]);
    // Nothing to change while they are away; the line keeps reporting them.
    const still = await clean();
    assert.deepEqual(warnings(still), [missing]);

    await ensureMember(emulator, workspace, { username: "grace" });
    await repairs(
      `mode:GroupMembers group "Analysts" of ${workspace}: 1 member differs from the program — up adds grace`,
      step("update", "GroupMembers", "team"),
      { "POST mode.groupMemberships.create": 1 },
      { update: 1 },
    );
    assert.deepEqual((await ws.outputs()).missing, []);
    assert.deepEqual(await usernamesIn(await groupToken()), ["ada", "grace"]);
  });

  it("the group deleted outside Pulumi: one line naming it; up creates it again and fills it", async () => {
    const before = await groupToken();
    await deleteGroupOutside(emulator, workspace, before);
    await repairs(
      `mode:Group group "Analysts" in ${workspace} was deleted outside Pulumi — up creates it again`,
      step("replace", "Group", "team"),
      { "POST mode.groups.create": 1, "POST mode.groupMemberships.create": 2 },
      // The GroupMembers takes the new group's token: it is replaced with the group.
      { replace: 2 },
    );
    const after = await groupToken();
    assert.notEqual(after, before);
    assert.deepEqual(await usernamesIn(after), ["ada", "grace"]);
  });

  it("destroy: Mode keeps the re-created group (its name was a deleted group's) and says to rename it; after the rename nothing is left", async () => {
    const created = await groupToken();
    await takeRequests(emulator);
    const failed = await ws.destroy({ ...env(program), allowFailure: true });
    assert.notEqual(failed.code, 0);
    const errors = resourceErrors(failed, "pulumi-nodejs:dynamic/mode:Group (team)");
    assert.equal(errors.length, 1, failed.stdout);
    assert.match(errors[0] ?? "", /group "Analysts" in \S+ with success, but the group is still active/);
    assert.match(errors[0] ?? "", /Rename the group first .*retainOnDelete/);
    // The memberships went first: the group's declared members and the person in the other group.
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "DELETE mode.groupMemberships.delete": 3,
      "DELETE mode.groups.delete": 1,
    });
    assert.deepEqual(await usernamesIn(created), []);
    assert.ok(!(await usernamesIn(other.token)).includes("alan"));

    // The documented way out: rename it, then destroy again.
    const retired: Program = { workspace, groupName: "Analysts (retired)" };
    await up(retired);
    assert.deepEqual(writes(await takeRequests(emulator)), { "PATCH mode.groups.update": 1 });
    await ws.destroy(env(retired));
    assert.deepEqual(writes(await takeRequests(emulator)), { "DELETE mode.groups.delete": 1 });

    const state = await ws.stackExport();
    assert.deepEqual(state.deployment.resources?.filter((r) => r.type.includes("mode:")) ?? [], []);
    // Through the API: only the seeded groups are active, every group the stack created reads as
    // deleted, and the seeded group no longer holds the person the stack added.
    const seeded = emulator.seed.mode.groups.map((g) => g.name).sort();
    assert.deepEqual((await activeGroups()).map((g) => g.name).sort(), seeded);
    const read = await req<GroupBody>("GET", `${emulator.modeApiUrl}/${workspace}/groups/${created}`, {
      auth: auth(),
    });
    assert.equal(read.json.state, "soft_deleted", read.text);
    assert.ok(!(await usernamesIn(other.token)).includes("alan"));
  });

  /** A seeded user's token. */
  function token(username: string): string {
    return emulator.seed.mode.users.find((u) => u.username === username)?.token ?? assert.fail(username);
  }
});

describe("a new GroupMembers of an existing group, through the engine", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;

  before(async function () {
    await engineOrSkip(this, "the groups engine tests");
    emulator = await startEmulator({ port: 0 });
    ws = await PulumiWorkspace.create({
      programDir: PROGRAM_DIR,
      env: {
        MODE_API_URL: emulator.modeApiUrl,
        MODE_API_TOKEN: emulator.seed.mode.token,
        MODE_API_SECRET: emulator.seed.mode.secret,
      },
    });
  });
  after(async () => {
    await ws?.dispose().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
  });

  it("its preview shows whom the first up adds and removes, and refuses more removals than maxRemovals", async () => {
    const workspace = emulator.seed.mode.workspace;
    const first = emulator.seed.mode.groups[0];
    assert.deepEqual([...first.members].sort(), ["ada", "alan", "barbara"], "the default seed's Group 1");
    const program = (maxRemovals: number): Program => ({
      workspace,
      existing: { group: first.token, usernames: ["ada", "grace"], maxRemovals },
    });
    const env = (p: Program) => ({ env: { GROUPS_PROGRAM: JSON.stringify(p) } });
    const where = `group "${first.name}" of ${workspace}`;

    await takeRequests(emulator);
    const refused = await ws.preview({ ...env(program(1)), allowFailure: true });
    assert.notEqual(refused.code, 0);
    // A check failure: the engine names the resource and the input before the reason.
    assert.deepEqual(resourceErrors(refused, "pulumi-nodejs:dynamic/mode:GroupMembers (existing)"), [
      "pulumi-nodejs:dynamic/mode:GroupMembers resource 'existing': property maxRemovals value {1} has a problem: " +
        `${where}: up would remove 2 members, more than maxRemovals (1): alan, barbara. Nothing was changed in ` +
        `${where}. To proceed: raise maxRemovals to 2 for this change, or set unmanaged: "report" to keep what ` +
        "the program does not declare without removing it, or declare the members to keep.",
    ]);

    const shown = await ws.preview(env(program(2)));
    assert.deepEqual(warnings(shown), [
      `mode:GroupMembers ${where}: 3 members differ from the program — up adds grace; removes alan, barbara`,
    ]);
    assert.deepEqual(writes(await takeRequests(emulator)), {}, "previews send nothing");

    await ws.up(env(program(2)));
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "POST mode.groupMemberships.create": 1,
      "DELETE mode.groupMemberships.delete": 2,
    });
    await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], env(program(2)));
    // Destroy removes only the declared members; the group itself is not the stack's.
    await ws.destroy(env(program(2)));
    assert.deepEqual(writes(await takeRequests(emulator)), { "DELETE mode.groupMemberships.delete": 2 });
  });
});
