/**
 * WorkspaceMembers without engine or host: check, the set arithmetic of the plan (who is removed,
 * who is kept and why, who is not a member), diff (drift is an in-place update with one line;
 * unknown list elements are an unknown diff with no request), create/update removing with bounded
 * concurrency, Mode's 400 for the API user's own membership, and a delete that removes nobody.
 * The removal policy: `unmanaged: "report"` sends no DELETE and reports the undeclared (line and
 * `unmanaged`); `maxRemovals` refuses in diff, create and update with nothing sent.
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { markMemberPlaced } from "../../provider/collections/workspace-memberships";
import { WRITE_CONCURRENCY } from "../../provider/batch";
import { RemovalLimitError } from "../../provider/removals";
import { planWorkspace } from "../../provider/resources/workspace-members";
import { ModeFake, workspaceMember } from "../support/members-fakes";

const provider = resourceProvider("WorkspaceMembers");

const declared = { workspace: "acme", usernames: ["ada", "grace"] };

function stored(usernames: string[] = declared.usernames, more: Record<string, unknown> = {}) {
  return { workspace: "acme", usernames, members: [], removed: [], kept: [], missing: [], ...more };
}

describe("WorkspaceMembers", () => {
  let fake: ModeFake;
  beforeEach(() => {
    fake = new ModeFake();
    setProviderContext(fake.context());
  });
  after(() => setProviderContext(undefined));

  describe("check", () => {
    it("requires usernames, checks each one, accepts unknown elements and an unknown list", async () => {
      assert.deepEqual((await provider.check({}, declared)).failures, []);
      assert.deepEqual((await provider.check({}, { workspace: "acme", usernames: [] })).failures, []);
      const missing = await provider.check({}, { workspace: "acme" });
      assert.deepEqual(missing.failures, [
        { property: "usernames", reason: "usernames is required and must not be empty" },
      ]);
      const bad = await provider.check({}, { workspace: "acme", usernames: ["ada", "a/b"] });
      assert.match(bad.failures?.[0]?.reason ?? "", /^usernames\[1\] must be a Mode username .*"a\/b"$/);
      assert.deepEqual(
        (await provider.check({}, { workspace: "acme", usernames: [UNKNOWN, "ada"] })).failures,
        [],
      );
      assert.deepEqual((await provider.check({}, { workspace: "acme", usernames: UNKNOWN })).failures, []);
      // The valid, known inputs of a new resource: one read-only listing (what the create changes).
      assert.deepEqual(fake.calls, ["list acme"]);
    });
  });

  describe("the plan (set arithmetic)", () => {
    it("removes undeclared members and invitees, keeps admins and SCIM members, reports who is not a member", () => {
      const live = [
        workspaceMember("Ada"),
        workspaceMember("carol"),
        workspaceMember("dave", "invited"),
        workspaceMember("erin", "expired"),
        workspaceMember("fred", "deactivated"),
        workspaceMember("admin", "active", { admin: true }),
        workspaceMember("sam", "active", { scim: true }),
        workspaceMember("pat", "invited"),
      ];
      const plan = planWorkspace(["ada", "pat", "bob", "BOB"], live);
      assert.deepEqual(
        plan.remove.map((m) => m.member_username),
        ["carol", "dave", "erin", "fred"],
      );
      assert.deepEqual(plan.kept, [
        { username: "admin", because: "admin" },
        { username: "sam", because: "managedByScim" },
      ]);
      assert.deepEqual(plan.missing, ["bob"]);
    });

    it("a SCIM-managed admin is kept as SCIM-managed; a declared admin is simply a member", () => {
      const live = [
        workspaceMember("root", "active", { admin: true, scim: true }),
        workspaceMember("boss", "active", { admin: true }),
      ];
      assert.deepEqual(planWorkspace(["boss"], live), {
        remove: [],
        unmanaged: [],
        kept: [{ username: "root", because: "managedByScim" }],
        missing: [],
      });
    });
  });

  describe("diff", () => {
    it("no change when only declared members (any case) and pending invitees are there", async () => {
      fake.workspace = [workspaceMember("ADA"), workspaceMember("grace", "invited")];
      const result = await provider.diff("acme", stored(), declared);
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls, ["list acme"]);
      assert.deepEqual(fake.warnings, []);
    });

    it("someone added outside Pulumi is an in-place update with one line; kept and missing are on it", async () => {
      fake.workspace = [
        workspaceMember("ada"),
        workspaceMember("carol"),
        workspaceMember("dave", "invited"),
        workspaceMember("admin", "active", { admin: true }),
        workspaceMember("sam", "active", { scim: true }),
      ];
      const result = await provider.diff("acme", stored(), declared);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        "mode:WorkspaceMembers workspace acme: 2 members are not in the program — up removes carol, " +
          "dave (pending invite: revoked); keeps admin (admin), sam (managed by SCIM), never removed by " +
          "pulumi-mode; grace is not a member, and no API adds one by username — invite them with mode.WorkspaceInvite",
      ]);
      assert.deepEqual(fake.calls, ["list acme"]);
    });

    it("kept or missing people alone are reported without a change", async () => {
      fake.workspace = [workspaceMember("ada"), workspaceMember("admin", "active", { admin: true })];
      const result = await provider.diff("acme", stored(), declared);
      assert.equal(result.changes, false);
      assert.deepEqual(fake.warnings, [
        "mode:WorkspaceMembers workspace acme: keeps admin (admin), never removed by pulumi-mode; grace is not " +
          "a member, and no API adds one by username — invite them with mode.WorkspaceInvite",
      ]);
    });

    it("an unknown username (an invite not yet sent) is an unknown diff: no request, no line", async () => {
      const result = await provider.diff("acme", stored(), {
        workspace: "acme",
        usernames: ["ada", UNKNOWN],
      });
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      const whole = await provider.diff("acme", stored(), { workspace: "acme", usernames: UNKNOWN });
      assert.equal(whole.changes, true);
      assert.deepEqual(fake.calls, []);
      assert.deepEqual(fake.warnings, []);
    });

    it("dropping a username is an update; a new workspace replaces", async () => {
      fake.workspace = [workspaceMember("ada"), workspaceMember("grace")];
      const dropped = await provider.diff("acme", stored(), { workspace: "acme", usernames: ["ada"] });
      assert.deepEqual(dropped, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.match(fake.warnings[0] ?? "", /1 member is not in the program — up removes grace$/);
      const moved = await provider.diff("acme", stored(), { ...declared, workspace: "other" });
      assert.deepEqual(moved.replaces, ["workspace"]);
    });
  });

  describe("create, update, read, delete", () => {
    it("update removes the undeclared (revoking invites), keeps the protected, from the diff's listing", async () => {
      fake.workspace = [
        workspaceMember("ada"),
        workspaceMember("carol"),
        workspaceMember("dave", "invited"),
        workspaceMember("admin", "active", { admin: true }),
        workspaceMember("sam", "active", { scim: true }),
      ];
      await provider.diff("acme", stored(), declared);
      const updated = await provider.update("acme", stored(), declared);
      assert.deepEqual(fake.calls, ["list acme", "delete tok-carol", "delete tok-dave"]);
      assert.deepEqual(
        fake.workspace.map((m) => m.member_username),
        ["ada", "admin", "sam"],
      );
      assert.deepEqual(updated.outs?.removed, [
        { username: "carol", memberToken: "tok-carol", state: "active" },
        { username: "dave", memberToken: "tok-dave", state: "invited" },
      ]);
      assert.deepEqual(updated.outs?.kept, [
        { username: "admin", because: "admin" },
        { username: "sam", because: "managedByScim" },
      ]);
      assert.deepEqual(updated.outs?.missing, ["grace"]);
      assert.deepEqual(
        (updated.outs?.members as { username: string }[]).map((m) => m.username),
        ["ada", "admin", "sam"],
      );
    });

    it("Mode's 400 for the API user's own membership keeps them (reported), not a failure", async () => {
      fake.workspace = [workspaceMember("ada"), workspaceMember("grace"), workspaceMember("robot")];
      fake.self = "robot";
      const created = await provider.create(declared);
      assert.deepEqual(created.outs.kept, [{ username: "robot", because: "self" }]);
      assert.deepEqual(created.outs.removed, []);
      assert.deepEqual(fake.warnings, [
        "mode:WorkspaceMembers workspace acme: keeps robot (the API user), never removed by pulumi-mode",
      ]);
    });

    it("refuses to remove someone another resource invited or adopted in this run, sending nothing", async () => {
      fake.workspace = [
        workspaceMember("ada"),
        workspaceMember("grace"),
        workspaceMember("newbie", "invited"),
      ];
      markMemberPlaced("acme", "newbie");
      await assert.rejects(
        provider.create(declared),
        /^Error: Not removing newbie from workspace acme: another resource of this stack invited or adopted them in this run, but usernames does not declare them\./,
      );
      assert.deepEqual(fake.calls, ["list acme"]);
    });

    it("removals run with bounded concurrency; failures are reported together after all ran", async () => {
      fake.workspace = Array.from({ length: 200 }, (_, i) => workspaceMember(`x${i}`));
      const created = await provider.create({ workspace: "acme", usernames: [] });
      assert.equal(fake.count("list"), 1);
      assert.equal((created.outs.removed as unknown[]).length, 200);
      assert.ok(fake.maxInFlight <= WRITE_CONCURRENCY && fake.maxInFlight > 1, String(fake.maxInFlight));
    });

    it("read reports every live member; delete removes nobody and sends nothing", async () => {
      fake.workspace = [workspaceMember("ada"), workspaceMember("zed", "invited")];
      const read = await provider.read("acme", stored());
      assert.deepEqual(
        (read.props?.members as { username: string; state: string }[]).map((m) => `${m.username}:${m.state}`),
        ["ada:active", "zed:invited"],
      );
      fake.calls = [];
      await provider.delete("acme", stored());
      assert.deepEqual(fake.calls, []);
      assert.equal(fake.workspace.length, 2);
    });
  });

  describe("the removal policy", () => {
    const report = { ...declared, unmanaged: "report" };
    const undeclared = () => [
      workspaceMember("ada"),
      workspaceMember("grace"),
      workspaceMember("carol"),
      workspaceMember("dave", "invited"),
      workspaceMember("admin", "active", { admin: true }),
    ];
    const reportLine =
      "mode:WorkspaceMembers workspace acme: 2 members are not in the program — kept, unmanaged is report: " +
      "carol, dave (pending invite); keeps admin (admin), never removed by pulumi-mode";
    /** A new provider process (its listings and the lines it already showed are gone). */
    const nextRun = () => setProviderContext(fake.context());

    it("check rejects an unknown mode and a negative or fractional maxRemovals, sending nothing; unknowns pass", async () => {
      const failures = async (more: Record<string, unknown>) =>
        (await provider.check({}, { ...declared, ...more })).failures;
      assert.deepEqual(await failures({ unmanaged: "keep" }), [
        { property: "unmanaged", reason: 'unmanaged must be "remove" or "report", got "keep"' },
      ]);
      assert.deepEqual(await failures({ maxRemovals: -1 }), [
        { property: "maxRemovals", reason: "maxRemovals must be >= 0" },
      ]);
      assert.deepEqual(await failures({ maxRemovals: 0.5 }), [
        { property: "maxRemovals", reason: "maxRemovals must be an integer, got a number" },
      ]);
      assert.deepEqual(await failures({ unmanaged: UNKNOWN, maxRemovals: UNKNOWN }), []);
      assert.deepEqual(await failures({ unmanaged: "report", maxRemovals: 0 }), []);
      assert.deepEqual(fake.calls, ["list acme"], "only valid, known inputs are looked at (read-only)");
    });

    it("an unknown policy input is an unknown diff: no request, no refusal", async () => {
      fake.workspace = undeclared();
      const result = await provider.diff("acme", stored(), { ...declared, maxRemovals: UNKNOWN });
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls, []);
    });

    it("report: create sends no DELETE, names the undeclared on the line and in unmanaged", async () => {
      fake.workspace = undeclared();
      const created = await provider.create(report);
      assert.deepEqual(fake.calls, ["list acme"]);
      assert.equal(fake.workspace.length, 5);
      assert.deepEqual(created.outs.unmanaged, ["carol", "dave"]);
      assert.deepEqual(created.outs.removed, []);
      assert.equal(created.outs.unmanagedMode, "report");
      assert.deepEqual(fake.warnings, [reportLine]);
    });

    it("report: a changed unmanaged set is an update that sends nothing; the same set is no change", async () => {
      fake.workspace = undeclared();
      const olds = stored(declared.usernames, { unmanagedMode: "report", unmanaged: ["carol"] });
      const result = await provider.diff("acme", olds, report);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [reportLine]);
      const updated = await provider.update("acme", olds, report);
      assert.deepEqual(fake.calls, ["list acme"]);
      assert.deepEqual(updated.outs?.unmanaged, ["carol", "dave"]);

      nextRun();
      fake.warnings = [];
      const again = await provider.diff("acme", updated.outs ?? {}, report);
      assert.deepEqual(again, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [reportLine], "the line is shown without a change");
      assert.equal(fake.count("delete"), 0);
    });

    it("report: read (refresh) lists the unmanaged found live", async () => {
      fake.workspace = undeclared();
      const read = await provider.read("acme", stored(declared.usernames, { unmanagedMode: "report" }));
      assert.deepEqual(read.props?.unmanaged, ["carol", "dave"]);
      assert.deepEqual(read.inputs, {
        workspace: "acme",
        usernames: declared.usernames,
        unmanaged: "report",
      });
    });

    it("switching report to remove removes them", async () => {
      fake.workspace = undeclared();
      const olds = stored(declared.usernames, { unmanagedMode: "report", unmanaged: ["carol", "dave"] });
      const result = await provider.diff("acme", olds, declared);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.match(
        fake.warnings[0] ?? "",
        /2 members are not in the program — up removes carol, dave \(pending invite: revoked\);/,
      );
      const updated = await provider.update("acme", olds, declared);
      assert.deepEqual(fake.calls, ["list acme", "delete tok-carol", "delete tok-dave"]);
      assert.deepEqual(updated.outs?.unmanaged, []);
      assert.equal(updated.outs?.unmanagedMode, undefined);
    });

    it("state written before the policy existed parses, and an unchanged workspace is no change", async () => {
      fake.workspace = [workspaceMember("ada"), workspaceMember("grace")];
      const result = await provider.diff("acme", stored(), declared);
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
      await provider.delete("acme", stored());
    });

    describe("maxRemovals", () => {
      const many = () => [
        workspaceMember("ada"),
        workspaceMember("grace"),
        ...Array.from({ length: 25 }, (_, i) => workspaceMember(`x${String(i).padStart(2, "0")}`)),
      ];
      const refusal = (count: number, limit: number) =>
        new RegExp(
          `^workspace acme: up would remove ${count} members, more than maxRemovals \\(${limit}\\): ` +
            "x00, x01, .*, x19 and 5 more\\. Nothing was changed in workspace acme\\. To proceed: raise " +
            `maxRemovals to ${count} for this change, or set unmanaged: "report"`,
        );
      const isRefusal = (count: number, limit: number) => (error: unknown) => {
        assert.ok(error instanceof RemovalLimitError, String(error));
        assert.match(error.message, refusal(count, limit));
        return true;
      };

      it("diff refuses a plan above the limit (the preview fails), having only listed", async () => {
        fake.workspace = many();
        await assert.rejects(
          provider.diff("acme", stored(), { ...declared, maxRemovals: 24 }),
          isRefusal(25, 24),
        );
        assert.deepEqual(fake.calls, ["list acme"]);
        assert.deepEqual(fake.warnings, []);
      });

      it("check of a new resource refuses a plan above the limit (a preview of the create fails), having only listed", async () => {
        fake.workspace = many();
        const result = await provider.check({}, { ...declared, maxRemovals: 24 });
        assert.equal(result.failures?.length, 1);
        assert.equal(result.failures?.[0]?.property, "maxRemovals");
        assert.match(result.failures?.[0]?.reason ?? "", refusal(25, 24));
        assert.deepEqual(fake.calls, ["list acme"]);
      });

      it("check of a new resource within the limit shows the create's line; of an existing one, sends nothing", async () => {
        fake.workspace = [...undeclared()];
        assert.deepEqual((await provider.check({}, { ...declared, maxRemovals: 5 })).failures, []);
        assert.deepEqual(fake.warnings, [
          "mode:WorkspaceMembers workspace acme: 2 members are not in the program — up removes carol, dave (pending invite: revoked); keeps admin (admin), never removed by pulumi-mode",
        ]);
        setProviderContext(fake.context());
        fake.calls = [];
        assert.deepEqual((await provider.check(declared, { ...declared, maxRemovals: 0 })).failures, []);
        assert.deepEqual(fake.calls, [], "an existing resource is checked by diff, not check");
      });

      it("create and update refuse before anything is sent (up --skip-preview)", async () => {
        fake.workspace = many();
        await assert.rejects(provider.create({ ...declared, maxRemovals: 2 }), isRefusal(25, 2));
        await assert.rejects(
          provider.update("acme", stored(), { ...declared, maxRemovals: 0 }),
          isRefusal(25, 0),
        );
        assert.deepEqual(fake.calls, ["list acme"]);
        assert.equal(fake.workspace.length, 27);
      });

      it("a plan at exactly the limit passes, in diff and in update", async () => {
        fake.workspace = many();
        const inputs = { ...declared, maxRemovals: 25 };
        assert.equal((await provider.diff("acme", stored(), inputs)).changes, true);
        const updated = await provider.update("acme", stored(), inputs);
        assert.equal(fake.count("delete"), 25);
        assert.equal((updated.outs?.removed as unknown[]).length, 25);
        assert.equal(updated.outs?.maxRemovals, 25);
      });

      it("report mode removes no one, so any limit passes", async () => {
        fake.workspace = many();
        const created = await provider.create({ ...report, maxRemovals: 0 });
        assert.equal((created.outs.unmanaged as unknown[]).length, 25);
        assert.equal(fake.count("delete"), 0);
      });

      it("admins, SCIM-managed members and the declared are not counted", async () => {
        fake.workspace = [
          workspaceMember("ada"),
          workspaceMember("root", "active", { admin: true }),
          workspaceMember("sam", "active", { scim: true }),
          workspaceMember("carol"),
        ];
        await provider.create({ ...declared, maxRemovals: 1 });
        assert.deepEqual(fake.calls, ["list acme", "delete tok-carol"]);
      });

      it("deleting the resource removes nobody, whatever the limit", async () => {
        fake.workspace = many();
        await provider.delete("acme", stored(declared.usernames, { maxRemovals: 0 }));
        assert.deepEqual(fake.calls, []);
      });
    });
  });
});
