/**
 * GroupMembers on an in-memory Mode API: check, the plan's set arithmetic (order, repeats and case do
 * not matter), diff from one listing of the group (a no-op reads only the group's and the workspace's
 * listings), one exact line naming who is added and removed, `missing` (reported, added once they
 * join), unknowns during preview, create/update sending only the needed writes, read, delete (only
 * the declared), a managed group refused, and the removal policy (report mode, maxRemovals in check,
 * diff, create and update).
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { RemovalLimitError } from "../../provider/removals";
import { planGroup } from "../../provider/resources/group-members";
import { groupMembership, GroupsFake } from "../support/groups-fake";
import { membership } from "../support/fakes";
import { register } from "../../sdk/claims";
import { groupClaim } from "../../sdk/group";
import { groupMembersClaim } from "../../sdk/group-members";
import { groupMemberClaim } from "../../sdk/group-membership";

const provider = resourceProvider("GroupMembers");

const declared = { workspace: "acme", group: "g1", usernames: ["ada", "bob"] };

describe("GroupMembers", () => {
  let fake: GroupsFake;
  const nextRun = () => setProviderContext(fake.context());
  beforeEach(() => {
    fake = new GroupsFake();
    fake.members("ada", "bob", "cy", "dee");
    nextRun();
  });
  after(() => setProviderContext(undefined));

  /** The state of a GroupMembers that last made the group hold `usernames`. */
  const stored = (usernames = declared.usernames, more: Record<string, unknown> = {}) => ({
    workspace: "acme",
    group: "g1",
    usernames,
    members: usernames.map((u) => ({ username: u, memberToken: `tok-${u}` })),
    missing: [],
    unmanaged: [],
    ...more,
  });

  describe("check", () => {
    it("accepts the list and trims it; names a bad element by its index; unknowns pass without a request", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"]);
      const ok = await provider.check({}, { ...declared, usernames: [" ada ", "bob"] });
      assert.deepEqual(ok.failures, []);
      assert.deepEqual(ok.inputs.usernames, ["ada", "bob"]);
      const bad = await provider.check({}, { ...declared, usernames: ["ada", "no spaces"] });
      assert.deepEqual(bad.failures, [
        {
          property: "usernames",
          reason: `usernames[1] must be a Mode username (letters, digits, '_', '-', '.'), got "no spaces"`,
        },
      ]);
      nextRun();
      fake.calls = [];
      const unknown = await provider.check({}, { ...declared, group: UNKNOWN, usernames: ["ada", UNKNOWN] });
      assert.deepEqual(unknown.failures, []);
      assert.deepEqual(fake.calls, [], "no inspection of a create whose inputs are unknown");
    });

    it("a new GroupMembers shows whom its first up adds and removes, and who is missing", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      const result = await provider.check({}, { ...declared, usernames: ["ada", "bob", "zed"] });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: 2 members differ from the program — up adds bob; removes cy; ' +
          "zed is not a member of acme — added once they join (invite them with mode.WorkspaceInvite)",
      ]);
      assert.deepEqual(fake.writes(), []);
    });

    it("a new GroupMembers of a group that does not exist fails its preview, before anything is sent", async () => {
      const result = await provider.check({}, { ...declared, group: "g9" });
      assert.deepEqual(result.failures, [
        {
          property: "group",
          reason:
            "acme has no active group g9 (deleted outside Pulumi, or a wrong token): nothing was changed. Pass the " +
            "token of an existing group (e.g. group.token of a mode.Group, or one listed by getGroups).",
        },
      ]);
      assert.deepEqual(fake.writes(), []);
    });

    it("a new GroupMembers of a managed group, or removing more than maxRemovals, fails its preview", async () => {
      fake.group("g1", "Analysts", ["cy", "dee"], true);
      const managed = await provider.check({}, declared);
      assert.equal(managed.failures?.[0]?.property, "group");
      assert.match(
        managed.failures?.[0]?.reason ?? "",
        /^Not going to manage the members of group "Analysts" in acme: it is managed by your identity provider \(SCIM\)/,
      );
      fake.groups[0].managed = false;
      nextRun();
      const limited = await provider.check({}, { ...declared, maxRemovals: 1 });
      assert.deepEqual(limited.failures, [
        {
          property: "maxRemovals",
          reason:
            'group "Analysts" of acme: up would remove 2 members, more than maxRemovals (1): cy, dee. Nothing was ' +
            'changed in group "Analysts" of acme. To proceed: raise maxRemovals to 2 for this change, or set ' +
            'unmanaged: "report" to keep what the program does not declare without removing it, or declare the members to keep.',
        },
      ]);
      assert.deepEqual(fake.writes(), []);
    });
  });

  describe("the plan (set arithmetic)", () => {
    const workspace = ["ada", "Bob", "cy"].map((u) => membership(u));
    const live = (...usernames: string[]) =>
      usernames.map((u) => groupMembership("g1", { token: `gm-${u}`, memberToken: `tok-${u}` }));

    it("adds declared members the group lacks, removes the others, keeps the rest; missing are reported", () => {
      const plan = planGroup({ usernames: ["ada", "bob", "zed"] }, live("ada", "cy"), workspace);
      assert.deepEqual(plan.add, [{ username: "Bob", memberToken: "tok-Bob" }]);
      assert.deepEqual(
        plan.remove.map((m) => m.token),
        ["gm-cy"],
      );
      assert.deepEqual(
        plan.keep.map((m) => m.token),
        ["gm-ada"],
      );
      assert.deepEqual(plan.missing, ["zed"]);
    });

    it("order, repeats and case do not matter; a member held twice loses the second membership", () => {
      const plan = planGroup(
        { usernames: ["BOB", "ada", "bob", "Zed", "zed"] },
        [...live("ada", "Bob"), groupMembership("g1", { token: "dup", memberToken: "tok-ada" })],
        workspace,
      );
      assert.deepEqual(plan.add, []);
      assert.deepEqual(
        plan.remove.map((m) => m.token),
        ["dup"],
      );
      assert.deepEqual(plan.missing, ["Zed"]);
    });

    it("report mode keeps the undeclared as unmanaged", () => {
      const plan = planGroup({ usernames: ["ada"], unmanaged: "report" }, live("ada", "cy"), workspace);
      assert.deepEqual(plan.remove, []);
      assert.deepEqual(
        plan.unmanaged.map((m) => m.token),
        ["gm-cy"],
      );
    });
  });

  describe("diff", () => {
    it("no change: only the group's and the workspace's listings, no line", async () => {
      fake.group("g1", "Analysts", ["bob", "ada"]);
      const result = await provider.diff("acme/g1", stored(), {
        ...declared,
        usernames: ["BOB", "ada", "ada"],
      });
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls.sort(), ["listGroupMemberships g1", "listMemberships"]);
      assert.deepEqual(fake.warnings, []);
    });

    it("a member added and a member removed outside Pulumi: an in-place update, one line naming them", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      const result = await provider.diff("acme/g1", stored(), { ...declared, __provider: "p" });
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: 2 members differ from the program — up adds bob; removes cy',
      ]);
      await provider.diff("acme/g1", stored(), declared);
      assert.equal(fake.warnings.length, 1, "one line per process");
      assert.equal(fake.count("listGroupMemberships"), 1, "one listing of the group per run");
    });

    it("a change of case or order alone is no change; a new name is an in-place update", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"]);
      const caseOnly = await provider.diff("acme/g1", stored(), { ...declared, usernames: ["Bob", "ADA"] });
      assert.deepEqual(caseOnly, { changes: false, replaces: [], deleteBeforeReplace: false });
      const more = await provider.diff("acme/g1", stored(), { ...declared, usernames: ["ada", "bob", "cy"] });
      assert.deepEqual(more, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.match(fake.warnings[0] ?? "", /1 member differs from the program — up adds cy$/);
      const moved = await provider.diff("acme/g1", stored(), { ...declared, group: "g2" });
      assert.deepEqual(moved, { changes: true, replaces: ["group"], deleteBeforeReplace: false });
    });

    it("unknowns during preview: an unknown element updates, an unknown group replaces, nothing is sent", async () => {
      const element = await provider.diff("acme/g1", stored(), { ...declared, usernames: ["ada", UNKNOWN] });
      assert.deepEqual(element, { changes: true, replaces: [], deleteBeforeReplace: false });
      const group = await provider.diff("acme/g1", stored(), { ...declared, group: UNKNOWN });
      assert.deepEqual(group.replaces, ["group"]);
      assert.deepEqual(fake.calls, []);
      assert.deepEqual(fake.warnings, []);
    });

    it("missing: reported without a change; once they join, an update that adds them", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"]);
      const olds = stored(declared.usernames, { usernames: ["ada", "bob", "eve"], missing: ["eve"] });
      const news = { ...declared, usernames: ["ada", "bob", "eve"] };
      const before = await provider.diff("acme/g1", olds, news);
      assert.equal(before.changes, false);
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: eve is not a member of acme — added once they join ' +
          "(invite them with mode.WorkspaceInvite)",
      ]);
      fake.members("eve");
      nextRun();
      fake.warnings = [];
      const joined = await provider.diff("acme/g1", olds, news);
      assert.deepEqual(joined, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: 1 member differs from the program — up adds eve',
      ]);
      const updated = await provider.update("acme/g1", olds, news);
      assert.deepEqual(fake.writes(), ["createGroupMembership g1/tok-eve"]);
      assert.deepEqual(updated.outs?.missing, []);
    });

    it("a declared member who left the workspace: an update that writes nothing and records them missing", async () => {
      fake.group("g1", "Analysts", ["ada"]);
      fake.workspace = fake.workspace.filter((m) => m.member_username !== "bob");
      const result = await provider.diff("acme/g1", stored(), declared);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: bob is not a member of acme — added once they join ' +
          "(invite them with mode.WorkspaceInvite)",
      ]);
      const updated = await provider.update("acme/g1", stored(), declared);
      assert.deepEqual(fake.writes(), []);
      assert.deepEqual(updated.outs?.missing, ["bob"]);
    });

    it("a long difference names ten members and counts the rest", async () => {
      const many = Array.from({ length: 25 }, (_, i) => `u${String(i).padStart(2, "0")}`);
      fake.members(...many);
      fake.group("g1", "Analysts", many);
      await provider.diff("acme/g1", stored([]), { ...declared, usernames: [] });
      assert.match(
        fake.warnings[0] ?? "",
        /25 members differ from the program — up removes u00, .*u09 and 15 more$/,
      );
    });

    it("a group deleted outside Pulumi (not a Group of the stack): the line says up fails and what to do", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"]).state = "soft_deleted";
      const result = await provider.diff("acme/g1", stored(), declared);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        "mode:GroupMembers group g1 of acme is not an active group (deleted outside Pulumi?) — up fails until it " +
          "exists: pass the token of an existing group (e.g. group.token of a mode.Group), or remove this resource",
      ]);
      await assert.rejects(provider.update("acme/g1", stored(), declared), /acme has no active group g1/);
      assert.deepEqual(fake.writes(), []);
    });

    it("writes to a group that became managed fail the preview, saying what to do", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"], true);
      await assert.rejects(
        provider.diff("acme/g1", stored(), declared),
        /Not going to manage the members of group "Analysts" in acme: .*Change its members in your identity provider/,
      );
    });
  });

  describe("create, update, read, delete", () => {
    it("create adopts who is there, adds who is missing, removes the others, from one listing each", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      const created = await provider.create({ ...declared, usernames: ["ada", "bob", "zed"] });
      assert.equal(created.id, "acme/g1");
      assert.deepEqual(fake.writes().sort(), [
        "createGroupMembership g1/tok-bob",
        "deleteGroupMembership g1/gm-g1-cy",
      ]);
      assert.equal(fake.count("listGroupMemberships"), 1);
      assert.equal(fake.count("listMemberships"), 1);
      assert.deepEqual(created.outs.members, [
        { username: "ada", memberToken: "tok-ada" },
        { username: "bob", memberToken: "tok-bob" },
      ]);
      assert.deepEqual(created.outs.missing, ["zed"]);
      assert.deepEqual(created.outs.unmanaged, []);
      assert.deepEqual(fake.usernamesIn("g1"), ["ada", "bob"]);
    });

    it("create fails before anything is sent for a managed group or one that does not exist", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"], true);
      await assert.rejects(provider.create(declared), /Not going to manage the members of group "Analysts"/);
      await assert.rejects(provider.create({ ...declared, group: "g9" }), /acme has no active group g9/);
      assert.deepEqual(fake.writes(), []);
    });

    it("update sends only the needed writes, reusing the diff's listings; the next run converges", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      const olds = stored();
      assert.equal((await provider.diff("acme/g1", olds, declared)).changes, true);
      const updated = await provider.update("acme/g1", olds, declared);
      assert.deepEqual(fake.writes(), [
        "deleteGroupMembership g1/gm-g1-cy",
        "createGroupMembership g1/tok-bob",
      ]);
      assert.equal(fake.count("listGroupMemberships"), 1);
      nextRun();
      assert.equal((await provider.diff("acme/g1", updated.outs ?? {}, declared)).changes, false);
    });

    it("read reports every live member, who is missing now, and keeps the declared list", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      const read = await provider.read("acme/g1", stored(["ada", "zed"]));
      assert.deepEqual(read.props?.members, [
        { username: "ada", memberToken: "tok-ada" },
        { username: "cy", memberToken: "tok-cy" },
      ]);
      assert.deepEqual(read.props?.missing, ["zed"]);
      assert.deepEqual(read.inputs, { workspace: "acme", group: "g1", usernames: ["ada", "zed"] });
    });

    it("delete removes only the declared members still there; a gone group is success", async () => {
      fake.group("g1", "Analysts", ["ada", "cy"]);
      await provider.delete("acme/g1", stored());
      assert.deepEqual(fake.writes(), ["deleteGroupMembership g1/gm-g1-ada"]);
      assert.deepEqual(fake.usernamesIn("g1"), ["cy"]);
      fake.groups[0].state = "soft_deleted";
      nextRun();
      await provider.delete("acme/g1", stored());
      assert.equal(fake.writes().length, 1);
    });

    it("delete from a managed group is refused before anything is sent", async () => {
      fake.group("g1", "Analysts", ["ada"], true);
      await assert.rejects(provider.delete("acme/g1", stored()), /identity provider/);
      assert.deepEqual(fake.writes(), []);
    });

    it("some writes fail: every other write runs, the error names the failures", async () => {
      fake.group("g1", "Analysts", ["cy"]);
      fake.workspace.push(membership("gone")); // listed, but Mode answers 404 for them
      const live = fake.context();
      setProviderContext(live);
      await provider.check({}, { ...declared, usernames: [...declared.usernames] }); // lists the workspace
      fake.workspace = fake.workspace.filter((m) => m.member_username !== "gone");
      await assert.rejects(
        provider.create({ ...declared, usernames: ["ada", "bob", "gone"] }),
        (err: Error) => {
          assert.match(
            err.message,
            /^Making group "Analysts" of acme hold exactly the declared members: 1 of 4 changes failed \(adding gone: .*\)\. The changes that succeeded stay; run `pulumi up` again to finish\.$/,
          );
          return true;
        },
      );
      assert.deepEqual(fake.usernamesIn("g1"), ["ada", "bob"]);
    });
  });

  describe("the removal policy", () => {
    const report = { ...declared, unmanaged: "report" };

    it("unmanaged: report adds the missing and removes no one; the line and the output name the unmanaged", async () => {
      fake.group("g1", "Analysts", ["ada", "cy", "dee"]);
      const created = await provider.create(report);
      assert.deepEqual(fake.writes(), ["createGroupMembership g1/tok-bob"]);
      assert.deepEqual(created.outs.unmanaged, [
        { username: "cy", memberToken: "tok-cy" },
        { username: "dee", memberToken: "tok-dee" },
      ]);
      assert.equal(created.outs.unmanagedMode, "report");
      // The create's line is the plan it carried out (check showed the same one in the preview).
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: 1 member differs from the program — up adds bob; ' +
          "2 members are not in the program — kept, unmanaged is report: cy, dee",
      ]);
      // The next run: nothing changed, the unmanaged are named again without a change.
      nextRun();
      fake.warnings = [];
      const same = await provider.diff("acme/g1", created.outs, report);
      assert.equal(same.changes, false);
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembers group "Analysts" of acme: 2 members are not in the program — kept, unmanaged is report: cy, dee',
      ]);
      // Someone joins the group outside Pulumi: an update that writes nothing and refreshes unmanaged.
      fake.members("eli");
      fake.groups[0].members.push({ token: "gm-eli", memberToken: "tok-eli" });
      nextRun();
      const joined = await provider.diff("acme/g1", created.outs, report);
      assert.deepEqual(joined, { changes: true, replaces: [], deleteBeforeReplace: false });
      const updated = await provider.update("acme/g1", created.outs, report);
      assert.deepEqual(fake.writes(), ["createGroupMembership g1/tok-bob"]);
      assert.deepEqual(
        (updated.outs?.unmanaged as { username: string }[]).map((m) => m.username),
        ["cy", "dee", "eli"],
      );
    });

    it("maxRemovals: diff and update refuse more removals with nothing sent; exactly the limit passes", async () => {
      fake.group("g1", "Analysts", ["ada", "bob", "cy", "dee"]);
      const limited = { ...declared, maxRemovals: 1 };
      await assert.rejects(provider.diff("acme/g1", stored(), limited), (err: unknown) => {
        assert.ok(err instanceof RemovalLimitError);
        assert.equal(err.count, 2);
        assert.match(
          err.message,
          /^group "Analysts" of acme: up would remove 2 members, more than maxRemovals \(1\): cy, dee\./,
        );
        return true;
      });
      await assert.rejects(provider.update("acme/g1", stored(), limited), RemovalLimitError);
      assert.deepEqual(fake.writes(), []);
      await provider.update("acme/g1", stored(), { ...declared, maxRemovals: 2 });
      assert.deepEqual(fake.writes().sort(), [
        "deleteGroupMembership g1/gm-g1-cy",
        "deleteGroupMembership g1/gm-g1-dee",
      ]);
    });

    it("a diff within the limit reads no groups listing when nothing is to be said", async () => {
      fake.group("g1", "Analysts", ["ada", "bob"]);
      await provider.diff("acme/g1", stored(), { ...declared, maxRemovals: 0 });
      assert.equal(fake.count("listGroups"), 0);
    });
  });

  describe("one owner (claims)", () => {
    it("a GroupMembers claims its group's whole membership: a GroupMembership of that group conflicts, both ways", () => {
      const first = new Map();
      register('mode:GroupMembers "team"', groupMembersClaim("acme", "g1"), first);
      assert.throws(
        () => register('mode:GroupMembership "ada"', groupMemberClaim("acme", "g1", "Ada"), first),
        /mode:GroupMembership "ada" would manage the membership of Ada in group g1 of acme, but mode:GroupMembers "team" already manages every member of group g1 of acme/,
      );
      const second = new Map();
      register('mode:GroupMembership "ada"', groupMemberClaim("acme", "g1", "ada"), second);
      assert.throws(
        () => register('mode:GroupMembers "team"', groupMembersClaim("acme", "g1"), second),
        /group g1/,
      );
      register('mode:GroupMembership "ada-2"', groupMemberClaim("acme", "g2", "ada"), second);
    });

    it("one person in one group once (any case); one group per name (any case)", () => {
      const claims = new Map();
      register('mode:GroupMembership "a"', groupMemberClaim("acme", "g1", "ada"), claims);
      assert.throws(() =>
        register('mode:GroupMembership "b"', groupMemberClaim("acme", "g1", " ADA"), claims),
      );
      register('mode:Group "a"', groupClaim("acme", "Analysts"), claims);
      assert.throws(
        () => register('mode:Group "b"', groupClaim("acme", "analysts "), claims),
        /mode:Group "b" would manage group "analysts" in acme, but mode:Group "a" already manages group "Analysts" in acme/,
      );
      register('mode:Group "c"', groupClaim("other", "Analysts"), claims);
    });
  });
});
