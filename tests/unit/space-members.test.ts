/**
 * SpaceMembers without engine or host: check, the set arithmetic of the plan, diff (drift is an
 * in-place update found from one listing; unknown list elements are an unknown diff with no
 * request), create/update sending only the needed writes with bounded concurrency, read and delete.
 * The removal policy: `unmanaged: "report"` adds the missing but sends no DELETE for the undeclared
 * (line and `unmanaged`); `maxRemovals` refuses in diff, create and update with nothing sent.
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ProviderContext, providerContext, setProviderContext } from "../../provider/context";
import { control } from "../../testing/emulator-control";
import { WRITE_CONCURRENCY } from "../../provider/batch";
import { RemovalLimitError } from "../../provider/removals";
import { planSpace } from "../../provider/resources/space-members";
import { ModeFake, spaceMember } from "../support/members-fakes";

const provider = resourceProvider("SpaceMembers");

const declared = { account: "acme", space: "s1", users: ["u1", "u2", "u3"], userGroups: ["g1"] };

/** The stored state of a SpaceMembers that last made the space hold `declared`. */
function stored(
  inputs: { users?: string[]; userGroups?: string[] } = declared,
  more: Record<string, unknown> = {},
) {
  const members = [
    ...(inputs.users ?? []).map((t) => ({ memberType: "User", memberToken: t, token: `sm-User-${t}` })),
    ...(inputs.userGroups ?? []).map((t) => ({
      memberType: "UserGroup",
      memberToken: t,
      token: `sm-UserGroup-${t}`,
    })),
  ];
  return { account: "acme", space: "s1", ...inputs, memberships: members, added: [], removed: [], ...more };
}

describe("SpaceMembers", () => {
  let fake: ModeFake;
  beforeEach(() => {
    fake = new ModeFake();
    setProviderContext(fake.context());
  });
  after(() => setProviderContext(undefined));

  describe("check", () => {
    it("accepts the lists, trims their tokens, and allows both lists to be absent", async () => {
      const result = await provider.check({}, { account: "acme", space: "s1", users: [" u1 ", "u2"] });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.inputs.users, ["u1", "u2"]);
      assert.deepEqual((await provider.check({}, { account: "acme", space: "s1" })).failures, []);
    });

    it("names a bad element by its index", async () => {
      const result = await provider.check({}, { account: "acme", space: "s1", users: ["u1", "../admin"] });
      assert.deepEqual(result.failures, [
        { property: "users", reason: `users[1] must be a token (letters, digits, '_', '-'), got "../admin"` },
      ]);
      const wrongType = await provider.check({}, { account: "acme", space: "s1", userGroups: "g1" });
      assert.deepEqual(wrongType.failures, [
        { property: "userGroups", reason: "userGroups must be an array, got a string" },
      ]);
    });

    it("accepts unknown elements and a wholly unknown list, and still checks the known elements", async () => {
      const unknownElement = { account: "acme", space: "s1", users: ["u1", UNKNOWN, UNKNOWN] };
      assert.deepEqual((await provider.check({}, unknownElement)).failures, []);
      assert.deepEqual(
        (await provider.check({}, { account: "acme", space: "s1", users: UNKNOWN })).failures,
        [],
      );
      const mixed = await provider.check({}, { account: "acme", space: "s1", users: [UNKNOWN, "a b"] });
      assert.equal(mixed.failures?.length, 1);
      assert.match(mixed.failures?.[0]?.reason ?? "", /users\[0\] must be a token.*"a b"/);
      assert.deepEqual(fake.calls, []);
    });
  });

  describe("the plan (set arithmetic)", () => {
    it("adds the declared members the space lacks, removes the others, keeps the rest", () => {
      const live = [
        spaceMember("User", "u1"),
        spaceMember("User", "u9", "ann@example.com"),
        spaceMember("UserGroup", "g2"),
      ];
      const plan = planSpace({ users: ["u1", "u3"], userGroups: ["g1"] }, live);
      assert.deepEqual(plan.add, [
        { memberType: "User", memberToken: "u3" },
        { memberType: "UserGroup", memberToken: "g1" },
      ]);
      assert.deepEqual(
        plan.remove.map((m) => m.member_token),
        ["u9", "g2"],
      );
      assert.deepEqual(
        plan.keep.map((m) => m.member_token),
        ["u1"],
      );
    });

    it("treats the lists as sets: repeats and order do not matter, a user and a group may share a token", () => {
      const plan = planSpace({ users: ["x", "x", "y"], userGroups: ["x"] }, [spaceMember("User", "y")]);
      assert.deepEqual(plan.add, [
        { memberType: "User", memberToken: "x" },
        { memberType: "UserGroup", memberToken: "x" },
      ]);
      assert.deepEqual(plan.remove, []);
    });

    it("declaring nothing empties the space; a member held twice loses the second membership", () => {
      const live = [spaceMember("User", "u1"), { ...spaceMember("User", "u1"), token: "dup" }];
      assert.equal(planSpace({}, live).remove.length, 2);
      const twice = planSpace({ users: ["u1"] }, live);
      assert.deepEqual(
        twice.remove.map((m) => m.token),
        ["dup"],
      );
      assert.deepEqual(twice.add, []);
    });
  });

  describe("diff", () => {
    it("no change when the space holds exactly the declared members (one listing, no warning)", async () => {
      fake.space = [
        spaceMember("User", "u3"),
        spaceMember("User", "u1"),
        spaceMember("User", "u2"),
        spaceMember("UserGroup", "g1"),
      ];
      const result = await provider.diff("acme/s1", stored(), {
        ...declared,
        users: ["u3", "u2", "u1", "u1"],
      });
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.calls, ["list s1"]);
      assert.deepEqual(fake.warnings, []);
    });

    it("out-of-band additions and removals are an in-place update with one line naming them", async () => {
      fake.space = [
        spaceMember("User", "u1"),
        spaceMember("User", "u2"),
        spaceMember("UserGroup", "g1"),
        spaceMember("User", "u9", "ann@example.com"),
        spaceMember("UserGroup", "g2"),
      ];
      const result = await provider.diff("acme/s1", stored(), { ...declared, __provider: "p" });
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        "mode:SpaceMembers space s1 of acme: 3 members differ from the program — up adds user u3; " +
          "removes user u9 (ann@example.com), user group g2",
      ]);
      // The same question again (the engine asks more than once) prints nothing more.
      await provider.diff("acme/s1", stored(), declared);
      assert.equal(fake.warnings.length, 1);
      assert.deepEqual(fake.calls, ["list s1"]);
    });

    it("a changed list is an in-place update; a new space replaces", async () => {
      fake.space = stored().memberships.map((m) => spaceMember(m.memberType, m.memberToken));
      const more = await provider.diff("acme/s1", stored(), { ...declared, users: ["u1", "u2", "u3", "u4"] });
      assert.deepEqual(more, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.match(fake.warnings[0] ?? "", /1 member differs from the program — up adds user u4$/);
      const moved = await provider.diff("acme/s1", stored(), { ...declared, space: "s2" });
      assert.deepEqual(moved, { changes: true, replaces: ["space"], deleteBeforeReplace: false });
    });

    it("an unknown list element is an unknown diff: changes, no request, no line", async () => {
      const element = await provider.diff("acme/s1", stored(), { ...declared, users: ["u1", UNKNOWN] });
      assert.deepEqual(element, { changes: true, replaces: [], deleteBeforeReplace: false });
      const whole = await provider.diff("acme/s1", stored(), { ...declared, userGroups: UNKNOWN });
      assert.equal(whole.changes, true);
      const space = await provider.diff("acme/s1", stored(), { ...declared, space: UNKNOWN });
      assert.deepEqual(space.replaces, ["space"]);
      assert.deepEqual(fake.calls, []);
      assert.deepEqual(fake.warnings, []);
    });

    it("a long difference names ten members per list and counts the rest", async () => {
      fake.space = Array.from({ length: 25 }, (_, i) => spaceMember("User", `x${i}`));
      await provider.diff("acme/s1", stored({ users: [] }), { account: "acme", space: "s1", users: [] });
      assert.match(
        fake.warnings[0] ?? "",
        /25 members differ from the program — up removes user x0, .*user x9 and 15 more$/,
      );
    });
  });

  describe("create, update, read, delete", () => {
    it("create adopts who is there, adds who is missing, removes the others, from one listing", async () => {
      fake.space = [spaceMember("User", "u1"), spaceMember("User", "u9", "ann@example.com")];
      const created = await provider.create(declared);
      assert.equal(created.id, "acme/s1");
      assert.deepEqual(fake.calls.sort(), [
        "create User/u2",
        "create User/u3",
        "create UserGroup/g1",
        "delete sm-User-u9",
        "list s1",
      ]);
      assert.deepEqual(created.outs.added, [
        { memberType: "User", memberToken: "u2", email: null },
        { memberType: "User", memberToken: "u3", email: null },
        { memberType: "UserGroup", memberToken: "g1" },
      ]);
      assert.deepEqual(created.outs.removed, [
        { memberType: "User", memberToken: "u9", email: "ann@example.com" },
      ]);
      assert.deepEqual(
        (created.outs.memberships as { memberToken: string }[]).map((m) => m.memberToken),
        ["u1", "u2", "u3", "g1"],
      );
      assert.deepEqual(created.outs.users, declared.users);
    });

    it("update sends only the needed creates and deletes, reusing the diff's listing", async () => {
      fake.space = [
        spaceMember("User", "u1"),
        spaceMember("User", "u2"),
        spaceMember("UserGroup", "g1"),
        spaceMember("User", "u9", "ann@example.com"),
      ];
      const olds = stored();
      assert.equal((await provider.diff("acme/s1", olds, declared)).changes, true);
      const updated = await provider.update("acme/s1", olds, declared);
      assert.deepEqual(fake.calls, ["list s1", "delete sm-User-u9", "create User/u3"]);
      assert.deepEqual(updated.outs?.added, [{ memberType: "User", memberToken: "u3", email: null }]);
      assert.deepEqual(updated.outs?.removed, [
        { memberType: "User", memberToken: "u9", email: "ann@example.com" },
      ]);
      // Converged: the next diff (a new run) finds nothing.
      setProviderContext(fake.context());
      assert.equal((await provider.diff("acme/s1", updated.outs ?? {}, declared)).changes, false);
    });

    it("a member added meanwhile is adopted; one removed meanwhile counts as removed", async () => {
      fake.space = [spaceMember("User", "u9")];
      const olds = stored();
      await provider.diff("acme/s1", olds, declared); // lists: u9 only
      fake.space = [spaceMember("User", "u1")]; // u9 left and u1 joined before up
      const updated = await provider.update("acme/s1", olds, declared);
      assert.deepEqual(
        (updated.outs?.memberships as { memberToken: string }[]).map((m) => m.memberToken).sort(),
        ["g1", "u1", "u2", "u3"],
      );
      assert.deepEqual(fake.space.map((m) => m.member_token).sort(), ["g1", "u1", "u2", "u3"]);
    });

    it("1,000 members: one listing, 1,000 creates, at most WRITE_CONCURRENCY in flight", async () => {
      const users = Array.from({ length: 1000 }, (_, i) => `user${i}`);
      const created = await provider.create({ account: "acme", space: "s1", users });
      assert.equal(fake.count("list"), 1);
      assert.equal(fake.count("create"), 1000);
      assert.ok(fake.maxInFlight <= WRITE_CONCURRENCY, `max in flight ${fake.maxInFlight}`);
      assert.ok(fake.maxInFlight > 1, "writes should overlap");
      assert.equal((created.outs.memberships as unknown[]).length, 1000);
    });

    it("some writes fail: every other write runs, the error names the failures, the next up converges", async () => {
      fake.space = [spaceMember("User", "u8"), spaceMember("User", "u9")];
      fake.failing = new Set(["u2", "u9"]);
      await assert.rejects(provider.create(declared), (err: Error) => {
        assert.match(
          err.message,
          /^Making space s1 of acme hold exactly the declared members: 2 of 6 changes failed \(.*removing user u9.*adding user u2.*\)\. The changes that succeeded stay; run `pulumi up` again to finish\.$/,
        );
        return true;
      });
      assert.deepEqual(fake.space.map((m) => m.member_token).sort(), ["g1", "u1", "u3", "u9"]);
      fake.failing.clear();
      setProviderContext(fake.context());
      await provider.create(declared);
      assert.deepEqual(fake.space.map((m) => m.member_token).sort(), ["g1", "u1", "u2", "u3"]);
    });

    it("read reports every live member and keeps the declared lists", async () => {
      fake.space = [spaceMember("User", "u1"), spaceMember("UserGroup", "g7")];
      const read = await provider.read("acme/s1", stored());
      assert.deepEqual(read.props?.memberships, [
        { memberType: "User", memberToken: "u1", token: "sm-User-u1" },
        { memberType: "UserGroup", memberToken: "g7", token: "sm-UserGroup-g7" },
      ]);
      assert.deepEqual(read.inputs, {
        account: "acme",
        space: "s1",
        users: declared.users,
        userGroups: ["g1"],
      });
    });

    it("delete removes only the declared members still there", async () => {
      fake.space = [spaceMember("User", "u1"), spaceMember("UserGroup", "g1"), spaceMember("User", "other")];
      await provider.delete("acme/s1", stored());
      assert.deepEqual(
        fake.space.map((m) => m.member_token),
        ["other"],
      );
      assert.deepEqual(fake.calls.sort(), ["delete sm-User-u1", "delete sm-UserGroup-g1", "list s1"]);
    });
  });

  describe("the removal policy", () => {
    const report = { ...declared, unmanaged: "report" };
    /** The space holds u1, u2 and g1 of the declared, and two members the program does not declare. */
    const live = () => [
      spaceMember("User", "u1"),
      spaceMember("User", "u2"),
      spaceMember("UserGroup", "g1"),
      spaceMember("User", "u9", "ann@example.com"),
      spaceMember("UserGroup", "g2"),
    ];
    const unmanaged = [
      { memberType: "User", memberToken: "u9", email: "ann@example.com" },
      { memberType: "UserGroup", memberToken: "g2" },
    ];
    const nextRun = () => setProviderContext(fake.context());

    it("check rejects an unknown mode and a negative or fractional maxRemovals, sending nothing; unknowns pass", async () => {
      const failures = async (more: Record<string, unknown>) =>
        (await provider.check({}, { ...declared, ...more })).failures;
      assert.deepEqual(await failures({ unmanaged: "Report" }), [
        { property: "unmanaged", reason: 'unmanaged must be "remove" or "report", got "Report"' },
      ]);
      assert.deepEqual(await failures({ maxRemovals: -3 }), [
        { property: "maxRemovals", reason: "maxRemovals must be >= 0" },
      ]);
      assert.deepEqual(await failures({ maxRemovals: 1.5 }), [
        { property: "maxRemovals", reason: "maxRemovals must be an integer, got a number" },
      ]);
      assert.deepEqual(await failures({ unmanaged: UNKNOWN, maxRemovals: UNKNOWN }), []);
      assert.deepEqual(fake.calls, []);
    });

    it("the plan under report: the undeclared are unmanaged, the missing still added, a second membership still removed", () => {
      const twice = { ...spaceMember("User", "u1"), token: "dup" };
      const plan = planSpace({ users: ["u1", "u3"], unmanaged: "report" }, [
        spaceMember("User", "u1"),
        twice,
        spaceMember("User", "u9"),
      ]);
      assert.deepEqual(plan.add, [{ memberType: "User", memberToken: "u3" }]);
      assert.deepEqual(
        plan.remove.map((m) => m.token),
        ["dup"],
      );
      assert.deepEqual(
        plan.unmanaged.map((m) => m.member_token),
        ["u9"],
      );
    });

    it("report: create adds the missing, sends no DELETE, names the undeclared on the line and in unmanaged", async () => {
      fake.space = live().filter((m) => m.member_token !== "u2");
      const created = await provider.create(report);
      assert.deepEqual(fake.calls.sort(), ["create User/u2", "create User/u3", "list s1"]);
      assert.deepEqual(created.outs.unmanaged, unmanaged);
      assert.deepEqual(created.outs.removed, []);
      assert.deepEqual(
        (created.outs.memberships as { memberToken: string }[]).map((m) => m.memberToken),
        ["u1", "u2", "u3", "u9", "g1", "g2"],
      );
      // A create shows the whole plan (what check showed the preview of a new resource, once).
      assert.deepEqual(fake.warnings, [
        "mode:SpaceMembers space s1 of acme: 2 members differ from the program — up adds user u2, user u3; " +
          "2 members are not in the program — kept, unmanaged is report: user u9 (ann@example.com), user group g2",
      ]);
    });

    it("report: the line names the adds and the unmanaged; a changed unmanaged set alone is an update that sends nothing", async () => {
      fake.space = live();
      const partial = await provider.diff("acme/s1", stored(), report);
      assert.deepEqual(partial, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        "mode:SpaceMembers space s1 of acme: 1 member differs from the program — up adds user u3; 2 members " +
          "are not in the program — kept, unmanaged is report: user u9 (ann@example.com), user group g2",
      ]);
      fake.space.push(spaceMember("User", "u3"));
      nextRun();
      const olds = stored(declared, { unmanagedMode: "report", unmanaged: unmanaged.slice(0, 1) });
      const changed = await provider.diff("acme/s1", olds, report);
      assert.deepEqual(changed, { changes: true, replaces: [], deleteBeforeReplace: false });
      const updated = await provider.update("acme/s1", olds, report);
      assert.deepEqual(fake.calls, ["list s1", "list s1"]);
      assert.deepEqual(updated.outs?.unmanaged, unmanaged);

      nextRun();
      fake.warnings = [];
      const same = await provider.diff("acme/s1", updated.outs ?? {}, report);
      assert.deepEqual(same, { changes: false, replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(fake.warnings, [
        "mode:SpaceMembers space s1 of acme: 2 members are not in the program — kept, unmanaged is report: " +
          "user u9 (ann@example.com), user group g2",
      ]);
      assert.equal(fake.count("delete"), 0);
    });

    it("report: read (refresh) lists the unmanaged found live", async () => {
      fake.space = live();
      const read = await provider.read("acme/s1", stored(declared, { unmanagedMode: "report" }));
      assert.deepEqual(read.props?.unmanaged, unmanaged);
    });

    it("switching report to remove removes them", async () => {
      fake.space = [...live(), spaceMember("User", "u3")];
      const olds = stored(declared, { unmanagedMode: "report", unmanaged: unmanaged });
      const result = await provider.diff("acme/s1", olds, declared);
      assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
      assert.match(
        fake.warnings[0] ?? "",
        /2 members differ from the program — up removes user u9 \(ann@example.com\), user group g2$/,
      );
      const updated = await provider.update("acme/s1", olds, declared);
      assert.deepEqual(fake.calls.sort(), ["delete sm-User-u9", "delete sm-UserGroup-g2", "list s1"]);
      assert.deepEqual(updated.outs?.unmanaged, []);
    });

    it("state written before the policy existed parses, and an unchanged space is no change", async () => {
      fake.space = stored().memberships.map((m) => spaceMember(m.memberType, m.memberToken));
      const result = await provider.diff("acme/s1", stored(), declared);
      assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    describe("maxRemovals", () => {
      const isRefusal = (count: number, limit: number) => (error: unknown) => {
        assert.ok(error instanceof RemovalLimitError, String(error));
        assert.equal(
          error.message,
          `space s1 of acme: up would remove ${count} members, more than maxRemovals (${limit}): user u9 ` +
            "(ann@example.com), user group g2. Nothing was changed in space s1 of acme. To proceed: raise " +
            `maxRemovals to ${count} for this change, or set unmanaged: "report" to keep what the program does ` +
            "not declare without removing it, or declare the members to keep.",
        );
        return true;
      };

      it("diff refuses a plan above the limit (the preview fails), having only listed", async () => {
        fake.space = live();
        await assert.rejects(
          provider.diff("acme/s1", stored(), { ...declared, maxRemovals: 1 }),
          isRefusal(2, 1),
        );
        assert.deepEqual(fake.calls, ["list s1"]);
      });

      it("create and update refuse before anything is sent, adds included", async () => {
        fake.space = live();
        await assert.rejects(provider.create({ ...declared, maxRemovals: 0 }), isRefusal(2, 0));
        await assert.rejects(
          provider.update("acme/s1", stored(), { ...declared, maxRemovals: 1 }),
          isRefusal(2, 1),
        );
        assert.deepEqual(fake.calls, ["list s1"]);
        assert.equal(fake.space.length, 5);
      });

      it("a plan at exactly the limit passes", async () => {
        fake.space = live();
        const inputs = { ...declared, maxRemovals: 2 };
        assert.equal((await provider.diff("acme/s1", stored(), inputs)).changes, true);
        await provider.update("acme/s1", stored(), inputs);
        assert.equal(fake.count("delete"), 2);
        assert.equal(fake.count("create"), 1);
      });

      it("deleting the resource is not counted: it removes the declared members whatever the limit", async () => {
        fake.space = live();
        await provider.delete("acme/s1", stored(declared, { maxRemovals: 0 }));
        assert.deepEqual(
          fake.space.map((m) => m.member_token),
          ["u9", "g2"],
        );
      });
    });
  });
});

describe("SpaceMembers with 1,000 members, against the emulator over HTTP", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  const warnings: string[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: { users: 1000, spaces: 1, userGroups: 0 } });
    const context = new ProviderContext({ warn: (message) => warnings.push(message) });
    const config: Record<string, string> = {
      "mode:apiUrl": emulator.modeApiUrl,
      "mode:apiToken": emulator.seed.mode.token,
      "mode:apiSecret": emulator.seed.mode.secret,
    };
    context.configure((key) => config[key], {});
    setProviderContext(context);
  });
  after(async () => {
    setProviderContext(undefined);
    await emulator?.close();
  });

  async function requests(): Promise<Record<string, number>> {
    const res = await control<{ byRoute: Record<string, number> }>(emulator, "GET", "/requests");
    await control(emulator, "DELETE", "/requests");
    return res.json.byRoute;
  }

  it("create sends one listing and 1,000 creates; a diff is one listing (its pages); drift is repaired by only the difference", async () => {
    const seed = emulator.seed.mode;
    const inputs = { account: seed.workspace, space: seed.spaces[0], users: seed.users.map((u) => u.token) };
    await requests();
    const created = await provider.create(inputs);
    const up = await requests();
    assert.equal(up["POST mode.spaceMemberships.create"], 1000);
    assert.equal(up["GET mode.spaceMemberships.list"], 1, JSON.stringify(up)); // the space was empty: one page

    // A new run (new provider process): one listing of 1,000 members = 20 pages of 50, nothing else.
    const fresh = (): void => {
      const context = new ProviderContext({ warn: (message) => warnings.push(message) });
      const config: Record<string, string> = {
        "mode:apiUrl": emulator.modeApiUrl,
        "mode:apiToken": seed.token,
        "mode:apiSecret": seed.secret,
      };
      context.configure((key) => config[key], {});
      setProviderContext(context);
    };
    fresh();
    const clean = await provider.diff(created.id, created.outs, inputs);
    assert.equal(clean.changes, false);
    assert.deepEqual(await requests(), { "GET mode.spaceMemberships.list": 20 });

    // Five members leave outside Pulumi: the diff finds them from the same one listing; the update
    // sends exactly five creates.
    const memberships = created.outs.memberships as { token: string }[];
    const client = providerContext().modeApi();
    for (const m of memberships.slice(0, 5))
      await client.deleteSpaceMembership(seed.workspace, seed.spaces[0], m.token);
    fresh();
    await requests();
    const drift = await provider.diff(created.id, created.outs, inputs);
    assert.deepEqual(drift, { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.match(
      warnings[warnings.length - 1] ?? "",
      /5 members differ from the program — up adds user \w+, /,
    );
    const updated = await provider.update(created.id, created.outs, inputs);
    assert.equal((updated.outs?.added as unknown[]).length, 5);
    const repair = await requests();
    assert.equal(repair["GET mode.spaceMemberships.list"], 20);
    assert.equal(repair["POST mode.spaceMemberships.create"], 5);
    assert.equal(Object.keys(repair).length, 2, JSON.stringify(repair));
  });
});
