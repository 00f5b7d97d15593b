/**
 * GroupMembership on an in-memory Mode API: the username resolved through the run's one workspace
 * listing (no request per resource), refusals before anything is sent (not a member, no such group,
 * a managed group), adoption, drift (removed from the group, left the workspace, group deleted: each
 * a replace with its own line), unknowns during preview, read and delete.
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { GroupsFake } from "../support/groups-fake";

const provider = resourceProvider("GroupMembership");

describe("GroupMembership", () => {
  let fake: GroupsFake;
  const nextRun = () => setProviderContext(fake.context());
  beforeEach(() => {
    fake = new GroupsFake();
    fake.members("ada", "bob", "Cy");
    fake.group("g1", "Analysts", ["bob"]);
    nextRun();
  });
  after(() => setProviderContext(undefined));

  const args = { workspace: "acme", group: "g1", username: "ada" };
  const stored = (more: Record<string, unknown> = {}) => ({
    ...args,
    memberToken: "tok-ada",
    membershipToken: "gm-g1-ada",
    adopted: false,
    ...more,
  });

  describe("check", () => {
    it("sends nothing, unknowns included: a username that is not a member fails the create, not the preview", async () => {
      for (const news of [
        args,
        { ...args, username: "dan" },
        { ...args, group: UNKNOWN, username: UNKNOWN },
      ]) {
        assert.deepEqual((await provider.check({}, news)).failures, []);
      }
      assert.deepEqual(fake.calls, []);
    });
  });

  describe("create", () => {
    it("adds the member, resolving usernames regardless of case from one workspace listing", async () => {
      const first = await provider.create({ ...args, username: "ADA" });
      const second = await provider.create({ ...args, username: "cy" });
      assert.equal(first.outs.memberToken, "tok-ada");
      assert.equal(first.outs.username, "ADA");
      assert.equal(first.outs.adopted, false);
      assert.equal(first.id, first.outs.membershipToken);
      assert.equal(second.outs.memberToken, "tok-Cy");
      assert.equal(fake.count("listMemberships"), 1, "no request per resource");
      assert.deepEqual(fake.writes(), [
        "createGroupMembership g1/tok-ada",
        "createGroupMembership g1/tok-Cy",
      ]);
      assert.deepEqual(fake.usernamesIn("g1"), ["Cy", "ada", "bob"]);
    });

    it("adopts the membership of someone already in the group", async () => {
      const created = await provider.create({ ...args, username: "bob" });
      assert.deepEqual(created.outs, {
        ...args,
        username: "bob",
        memberToken: "tok-bob",
        membershipToken: "gm-g1-bob",
        adopted: true,
      });
      assert.equal(fake.groups[0].members.length, 1);
    });

    it("a username that is not a workspace member fails before anything is sent, pointing at WorkspaceInvite", async () => {
      await assert.rejects(provider.create({ ...args, username: "dan" }), (err: Error) => {
        assert.match(err.message, /^Cannot add dan to a group of acme: acme has no member dan/);
        assert.match(err.message, /mode\.WorkspaceInvite and pass its memberUsername/);
        return true;
      });
      assert.deepEqual(fake.writes(), []);
      assert.equal(fake.count("listMemberships"), 2, "listed once more before giving up");
    });

    it("someone invited after the run listed the workspace is found by listing once more", async () => {
      await provider.create({ ...args, username: "bob" }); // the run lists the workspace
      fake.members("eve");
      const created = await provider.create({ ...args, username: "eve" });
      assert.equal(created.outs.memberToken, "tok-eve");
    });

    it("a group that is not active, and a managed group, fail before anything is sent", async () => {
      await assert.rejects(
        provider.create({ ...args, group: "nope" }),
        /the workspace has no active group with that token/,
      );
      fake.groups[0].managed = true;
      nextRun();
      await assert.rejects(
        provider.create(args),
        /Not going to add members to group "Analysts" in acme: it is managed by your identity provider \(SCIM\)/,
      );
      assert.deepEqual(fake.writes(), []);
    });
  });

  describe("diff", () => {
    it("no change while the person is in the group (username in any case): the two listings only", async () => {
      fake.groups[0].members.push({ token: "gm-g1-ada", memberToken: "tok-ada" });
      const result = await provider.diff("gm-g1-ada", stored(), { ...args, username: "Ada" });
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls.sort(), ["listGroupMemberships g1", "listMemberships"]);
      assert.deepEqual(fake.warnings, []);
    });

    it("removed from the group outside Pulumi: replace on membershipToken, one line naming person and group", async () => {
      const result = await provider.diff("gm-g1-ada", stored(), args);
      assert.deepEqual(result, { changes: true, replaces: ["membershipToken"], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembership ada in group "Analysts" of acme: removed from the group outside Pulumi — up adds them again',
      ]);
    });

    it("the person left the workspace: replace on memberToken, the line says so", async () => {
      fake.workspace = fake.workspace.filter((m) => m.member_username !== "ada");
      const result = await provider.diff("gm-g1-ada", stored(), args);
      assert.deepEqual(result.replaces, ["memberToken"]);
      assert.deepEqual(fake.warnings, [
        'mode:GroupMembership ada in group "Analysts" of acme: ada left the workspace (Mode removed their group ' +
          "memberships with them) — up fails until they are a member again: invite them with mode.WorkspaceInvite, " +
          "or remove this resource",
      ]);
    });

    it("the group was deleted: the line names it by token and says what to do", async () => {
      fake.groups[0].state = "soft_deleted";
      const result = await provider.diff("gm-g1-ada", stored(), args);
      assert.deepEqual(result.replaces, ["membershipToken"]);
      assert.deepEqual(fake.warnings, [
        "mode:GroupMembership ada in group g1 of acme: the group was deleted outside Pulumi — up fails until the " +
          "group exists: declare it with mode.Group (and pass group.token), or remove this resource",
      ]);
    });

    it("unknowns during preview replace without a request", async () => {
      const group = await provider.diff("gm-g1-ada", stored(), { ...args, group: UNKNOWN });
      assert.deepEqual(group, { changes: true, replaces: ["group"], deleteBeforeReplace: false });
      const username = await provider.diff("gm-g1-ada", stored(), { ...args, username: UNKNOWN });
      assert.deepEqual(username.replaces, ["username"]);
      assert.deepEqual(fake.calls, []);
    });
  });

  describe("read and delete", () => {
    it("read finds the live membership; gone when removed or the person left", async () => {
      fake.groups[0].members.push({ token: "gm-7", memberToken: "tok-ada" });
      const read = await provider.read("gm-g1-ada", stored());
      assert.equal(read.id, "gm-7");
      assert.equal(read.props?.membershipToken, "gm-7");
      assert.deepEqual(read.inputs, args);
      fake.groups[0].members = [];
      nextRun();
      assert.deepEqual(await provider.read("gm-g1-ada", stored()), { id: "" });
    });

    it("delete removes the person (a membership re-added outside too); gone is success", async () => {
      fake.groups[0].members.push({ token: "gm-readded", memberToken: "tok-ada" });
      await provider.delete("gm-g1-ada", stored());
      assert.deepEqual(fake.writes(), ["deleteGroupMembership g1/gm-readded"]);
      assert.deepEqual(fake.usernamesIn("g1"), ["bob"]);
      nextRun();
      await provider.delete("gm-g1-ada", stored());
      fake.groups[0].state = "soft_deleted";
      nextRun();
      await provider.delete("gm-g1-ada", stored());
      assert.deepEqual(fake.writes(), ["deleteGroupMembership g1/gm-readded"]);
    });

    it("delete from a managed group is refused, saying to change its members in the identity provider", async () => {
      fake.groups[0].members.push({ token: "gm-g1-ada", memberToken: "tok-ada" });
      fake.groups[0].managed = true;
      await assert.rejects(
        provider.delete("gm-g1-ada", stored()),
        /Change its members in your identity provider/,
      );
      assert.deepEqual(fake.writes(), []);
    });

    it("the delete half of a replacement that runs after its create leaves the new membership alone", async () => {
      const created = await provider.create(args);
      await provider.delete("gm-old", stored({ membershipToken: "gm-old" }));
      assert.deepEqual(fake.writes(), ["createGroupMembership g1/tok-ada"]);
      assert.ok(fake.groups[0].members.some((m) => m.token === created.outs.membershipToken));
    });
  });
});
