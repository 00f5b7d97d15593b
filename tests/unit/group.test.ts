/**
 * Group on an in-memory Mode API: check, create (adoption by name regardless of case), drift (deleted
 * → replace, renamed → in-place rename back, managed → never renamed), unknowns during preview,
 * update, read and delete (gone is success, managed refused, Mode's rename-before-delete quirk).
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { GroupsFake } from "../support/groups-fake";

const provider = resourceProvider("Group");

describe("Group", () => {
  let fake: GroupsFake;
  /** A new run: a fresh provider context (fresh listings) on the same fake. */
  const nextRun = () => setProviderContext(fake.context());
  beforeEach(() => {
    fake = new GroupsFake();
    nextRun();
  });
  after(() => setProviderContext(undefined));

  const stored = (more: Record<string, unknown> = {}) => ({
    workspace: "acme",
    name: "Analysts",
    token: "g1",
    state: "active",
    groupType: "custom",
    managed: false,
    memberCount: 0,
    adopted: false,
    ...more,
  });

  describe("check", () => {
    it("trims the name and refuses a bad one before anything is sent; unknowns pass", async () => {
      const ok = await provider.check({}, { workspace: "acme", name: "  Data team " });
      assert.deepEqual(ok.failures, []);
      assert.equal(ok.inputs.name, "Data team");
      const bad = await provider.check({}, { workspace: "acme", name: "tab\there" });
      assert.deepEqual(bad.failures, [
        {
          property: "name",
          reason:
            'name must be a name of 1 to 255 characters without control characters or leading/trailing spaces, got "tab\\there"',
        },
      ]);
      assert.deepEqual((await provider.check({}, { workspace: "acme", name: "" })).failures, [
        { property: "name", reason: "name is required and must not be empty" },
      ]);
      assert.deepEqual((await provider.check({}, { workspace: UNKNOWN, name: UNKNOWN })).failures, []);
      assert.deepEqual(fake.calls, []);
    });
  });

  describe("create", () => {
    it("creates the group and reports its token", async () => {
      const created = await provider.create({ workspace: "acme", name: "Analysts" });
      assert.equal(created.id, "g1");
      assert.deepEqual(created.outs, stored());
      assert.deepEqual(fake.writes(), ["createGroup Analysts"]);
    });

    it("adopts the active group of that name from this run's listing, sending no create, renaming a case difference", async () => {
      fake.members("ada");
      fake.group("g7", "analysts", ["ada"]);
      const created = await provider.create({ workspace: "acme", name: "Analysts" });
      assert.equal(created.id, "g7");
      assert.deepEqual(created.outs, stored({ token: "g7", memberCount: 1, adopted: true }));
      assert.deepEqual(fake.writes(), ["updateGroup g7 Analysts"]);
      assert.equal(fake.groups.length, 1, "never two groups");
    });

    it("adopts on Mode's duplicate refusal a group made after this run listed the groups", async () => {
      await provider.create({ workspace: "acme", name: "Finance" }); // lists the groups, then creates
      fake.group("g7", "Analysts"); // someone else, meanwhile: the listing is stale
      const created = await provider.create({ workspace: "acme", name: "Analysts" });
      assert.equal(created.id, "g7");
      assert.equal(created.outs.adopted, true);
      assert.deepEqual(fake.writes(), ["createGroup Finance", "createGroup Analysts"]);
      assert.equal(fake.groups.filter((g) => g.name === "Analysts").length, 1, "never two groups");
    });

    it("adopts a managed group as it is, never renaming it, and says so", async () => {
      fake.group("g7", "analysts", [], true);
      const created = await provider.create({ workspace: "acme", name: "Analysts" });
      assert.equal(created.outs.managed, true);
      assert.equal(created.outs.adopted, true);
      assert.deepEqual(fake.writes(), []);
      assert.deepEqual(fake.warnings, [
        'mode:Group group "analysts" in acme already existed and is managed by your identity provider (SCIM): ' +
          "adopted; pulumi-mode never renames or deletes it",
      ]);
    });
  });

  describe("diff", () => {
    const news = { workspace: "acme", name: "Analysts" };

    it("no change while the group is listed with the declared name (one listing, no line)", async () => {
      fake.group("g1", "Analysts");
      assert.deepEqual(await provider.diff("g1", stored(), news), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(fake.calls, ["listGroups"]);
      assert.deepEqual(fake.warnings, []);
    });

    it("deleted outside Pulumi (no longer listed): replace on token, one line naming the group", async () => {
      fake.group("g1", "Analysts").state = "soft_deleted";
      const result = await provider.diff("g1", stored(), news);
      assert.deepEqual(result, { changes: true, replaces: ["token"], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:Group group "Analysts" in acme was deleted outside Pulumi — up creates it again',
      ]);
      await provider.diff("g1", stored(), news);
      assert.equal(fake.warnings.length, 1, "one line per process");
    });

    it("renamed outside Pulumi: an in-place update back, one line naming both names", async () => {
      fake.group("g1", "Data team");
      const result = await provider.diff("g1", stored(), news);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:Group group "Analysts" in acme was renamed outside Pulumi to "Data team" — up renames it back',
      ]);
      nextRun();
      fake.warnings = [];
      await provider.diff("g1", stored(), { ...news, name: "Insights" });
      assert.deepEqual(fake.warnings, [
        'mode:Group group "Analysts" in acme was renamed outside Pulumi to "Data team" — up renames it to "Insights"',
      ]);
    });

    it("a rename by the program alone is an update without a line", async () => {
      fake.group("g1", "Analysts");
      const result = await provider.diff("g1", stored(), { ...news, name: "Insights" });
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, []);
    });

    it("a managed group named otherwise: the line says up cannot rename it and what to do", async () => {
      fake.group("g1", "Data team", [], true);
      const result = await provider.diff("g1", stored(), news);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        'mode:Group group "Data team" in acme is managed by your identity provider (SCIM), which owns its name ' +
          '— up cannot rename it to "Analysts": rename it there, or declare "Data team"',
      ]);
    });

    it("unknowns during preview: a new workspace replaces, a new name updates, nothing is sent", async () => {
      const workspace = await provider.diff("g1", stored(), { ...news, workspace: UNKNOWN });
      assert.deepEqual(workspace, { changes: true, replaces: ["workspace"], deleteBeforeReplace: false });
      const name = await provider.diff("g1", stored(), { ...news, name: UNKNOWN });
      assert.deepEqual(name, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls, []);
    });
  });

  describe("update, read, delete", () => {
    it("update renames with PATCH, and sends nothing when the group already has the name", async () => {
      fake.group("g1", "Data team");
      const updated = await provider.update("g1", stored(), { workspace: "acme", name: "Analysts" });
      assert.equal(updated.outs?.name, "Analysts");
      assert.deepEqual(fake.writes(), ["updateGroup g1 Analysts"]);
      nextRun();
      await provider.update("g1", stored(), { workspace: "acme", name: "Analysts" });
      assert.deepEqual(fake.writes(), ["updateGroup g1 Analysts"], "no second PATCH");
    });

    it("update refuses a name another group has, naming it, and a managed group before sending", async () => {
      fake.group("g1", "Analysts");
      fake.group("g2", "Engineers");
      await assert.rejects(
        provider.update("g1", stored(), { workspace: "acme", name: "engineers" }),
        (err: Error) => {
          assert.match(err.message, /another active group \(g2\) already has that name/);
          return true;
        },
      );
      nextRun();
      fake.groups[0].managed = true;
      fake.calls = [];
      await assert.rejects(
        provider.update("g1", stored(), { workspace: "acme", name: "Insights" }),
        /Not going to rename group "Analysts" in acme: it is managed by your identity provider \(SCIM\).*Rename it in your identity provider/,
      );
      assert.deepEqual(fake.writes(), []);
    });

    it("read reports the live name (a rename outside shows after a refresh); gone is undefined", async () => {
      fake.members("ada", "bob");
      fake.group("g1", "Data team", ["ada", "bob"]);
      const read = await provider.read("g1", stored());
      assert.deepEqual(read.inputs, { workspace: "acme", name: "Data team" });
      assert.equal(read.props?.memberCount, 2);
      fake.groups[0].state = "soft_deleted";
      nextRun();
      assert.deepEqual(await provider.read("g1", stored()), { id: "" });
    });

    it("delete deletes and reads back; already gone is success", async () => {
      fake.group("g1", "Analysts");
      await provider.delete("g1", stored());
      assert.equal(fake.groups[0].state, "soft_deleted");
      nextRun();
      await provider.delete("g1", stored());
      assert.deepEqual(fake.writes(), ["deleteGroup g1"]);
    });

    it("a managed group is never deleted: the error says why and what to do", async () => {
      fake.group("g1", "Analysts", [], true);
      await assert.rejects(provider.delete("g1", stored()), (err: Error) => {
        assert.match(
          err.message,
          /^Not going to delete group "Analysts" in acme: it is managed by your identity provider/,
        );
        assert.match(err.message, /Delete it in your identity provider.*retainOnDelete/);
        return true;
      });
      assert.deepEqual(fake.writes(), []);
    });

    it("Mode's quirk: still active after a 200 delete fails saying to rename it first", async () => {
      fake.group("g0", "Analysts").state = "soft_deleted";
      fake.group("g1", "Analysts");
      await assert.rejects(provider.delete("g1", stored()), (err: Error) => {
        assert.match(err.message, /group "Analysts" in acme with success, but the group is still active/);
        assert.match(err.message, /Rename the group first.*retainOnDelete/);
        return true;
      });
      // The documented way out: rename, then delete.
      nextRun();
      await provider.update("g1", stored(), { workspace: "acme", name: "Analysts (retired)" });
      await provider.delete("g1", stored({ name: "Analysts (retired)" }));
      assert.equal(fake.groups[1].state, "soft_deleted");
    });

    it("the delete half of a replacement that runs after its create leaves the adopted group alone", async () => {
      fake.group("g1", "Analysts");
      await provider.create({ workspace: "acme", name: "Analysts" });
      await provider.delete("g1", stored());
      assert.equal(fake.groups[0].state, "active");
      assert.deepEqual(fake.writes(), []);
    });
  });
});
