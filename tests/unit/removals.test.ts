/**
 * The removal policy every authoritative resource shares (provider/removals.ts): the two inputs'
 * schemas as check applies them, how a plan's undeclared items split between removal and report,
 * when the unmanaged output changed, the reason line's wording, and the maxRemovals refusal (count,
 * the first 20 named, what to do; exactly the limit passes).
 */
import { strict as assert } from "node:assert";
import { ObjectSchema, UNKNOWN } from "../../provider/inputs";
import {
  checkRemovalLimit,
  describeUnmanaged,
  listNames,
  MEMBERS,
  RemovalLimitError,
  removalInputProperties,
  policyOf,
  removalStateProperties,
  storedPolicy,
  splitRemovals,
  unmanagedChanged,
} from "../../provider/removals";

/** A resource's inputs with nothing but the policy, checked as every resource checks its inputs. */
const policyInputs = new ObjectSchema<Record<string, unknown>>(
  { type: "object", required: [], properties: removalInputProperties, additionalProperties: false },
  "inputs of a test resource",
);

const names = (count: number, prefix = "u"): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("the removal policy (provider/removals.ts)", () => {
  describe("the inputs, as check sees them", () => {
    it("accepts both modes, a limit of 0 or more, both unset, and the engine's unknown placeholder", () => {
      for (const inputs of [
        {},
        { unmanaged: "remove" },
        { unmanaged: "report", maxRemovals: 0 },
        { maxRemovals: 250 },
        { unmanaged: UNKNOWN, maxRemovals: UNKNOWN },
      ]) {
        assert.deepEqual(policyInputs.check(inputs).failures, [], JSON.stringify(inputs));
      }
    });

    it("rejects an unknown mode, a negative or fractional limit, and a limit that is not a number", () => {
      const failures = (inputs: Record<string, unknown>) => policyInputs.check(inputs).failures;
      assert.deepEqual(failures({ unmanaged: "ignore" }), [
        { property: "unmanaged", reason: 'unmanaged must be "remove" or "report", got "ignore"' },
      ]);
      assert.deepEqual(failures({ maxRemovals: -1 }), [
        { property: "maxRemovals", reason: "maxRemovals must be >= 0" },
      ]);
      assert.deepEqual(failures({ maxRemovals: 2.5 }), [
        { property: "maxRemovals", reason: "maxRemovals must be an integer, got a number" },
      ]);
      assert.deepEqual(failures({ maxRemovals: "10" }), [
        { property: "maxRemovals", reason: "maxRemovals must be an integer, got a string" },
      ]);
    });

    it("every property, and the output's schema, carries a description for the docs", () => {
      for (const [key, schema] of Object.entries(removalInputProperties)) {
        assert.ok(schema.description.length > 40, key);
      }
      const state = removalStateProperties({ type: "string" });
      assert.ok(state.unmanaged.description.length > 40);
      assert.ok(state.unmanagedMode.description.length > 20);
      assert.deepEqual(state.unmanaged.items, { type: "string" });
    });

    it("storedPolicy keeps only what is set, the mode under unmanagedMode; policyOf reads it back", () => {
      assert.deepEqual(storedPolicy({}), {});
      const stored = storedPolicy({ unmanaged: "report", maxRemovals: 0 });
      assert.deepEqual(stored, { unmanagedMode: "report", maxRemovals: 0 });
      assert.deepEqual(policyOf(stored), { unmanaged: "report", maxRemovals: 0 });
      assert.deepEqual(policyOf({}), {});
    });
  });

  describe("the plan", () => {
    it("remove (also when unset) removes the undeclared; report keeps them as unmanaged", () => {
      const undeclared = ["carol", "dave"];
      assert.deepEqual(splitRemovals({}, undeclared), { remove: undeclared, unmanaged: [] });
      assert.deepEqual(splitRemovals({ unmanaged: "remove" }, undeclared), {
        remove: undeclared,
        unmanaged: [],
      });
      assert.deepEqual(splitRemovals({ unmanaged: "report" }, undeclared), {
        remove: [],
        unmanaged: undeclared,
      });
    });

    it("the unmanaged output changed when the sets differ (order does not count; no output is an empty one)", () => {
      const key = (m: { token: string }) => m.token;
      assert.equal(unmanagedChanged(undefined, [], key), false);
      assert.equal(unmanagedChanged([], [], key), false);
      assert.equal(unmanagedChanged(undefined, [{ token: "a" }], key), true);
      assert.equal(
        unmanagedChanged([{ token: "a" }, { token: "b" }], [{ token: "b" }, { token: "a" }], key),
        false,
      );
      assert.equal(unmanagedChanged([{ token: "a" }], [{ token: "b" }], key), true);
      assert.equal(unmanagedChanged([{ token: "a" }], [{ token: "a" }, { token: "b" }], key), true);
      assert.equal(unmanagedChanged(["a"], ["a"], String), false);
    });
  });

  describe("the words", () => {
    it("names ten on a line and counts the rest", () => {
      assert.equal(listNames(["a"]), "a");
      assert.equal(listNames(names(10)), names(10).join(", "));
      assert.equal(listNames(names(12)), `${names(10).join(", ")} and 2 more`);
      assert.equal(listNames(names(3), 2), "u0, u1 and 1 more");
    });

    it("the unmanaged part of a reason line", () => {
      assert.equal(
        describeUnmanaged(["carol"], MEMBERS),
        "1 member is not in the program — kept, unmanaged is report: carol",
      );
      assert.equal(
        describeUnmanaged(["carol", "dave (pending invite)"], MEMBERS),
        "2 members are not in the program — kept, unmanaged is report: carol, dave (pending invite)",
      );
      assert.match(describeUnmanaged(names(11), MEMBERS), /^11 members are .*: u0, .*, u9 and 1 more$/);
    });
  });

  describe("maxRemovals", () => {
    const subject = { where: "workspace acme", noun: MEMBERS };

    it("no limit, fewer than the limit, and exactly the limit pass", () => {
      checkRemovalLimit({}, names(500), subject);
      checkRemovalLimit({ maxRemovals: 3 }, names(2), subject);
      checkRemovalLimit({ maxRemovals: 3 }, names(3), subject);
      checkRemovalLimit({ maxRemovals: 0 }, [], subject);
    });

    it("more than the limit throws naming how many, who, and how to proceed", () => {
      assert.throws(
        () =>
          checkRemovalLimit({ maxRemovals: 1 }, ["carol", "dave (pending invite: revoked)", "erin"], subject),
        (error: unknown) => {
          assert.ok(error instanceof RemovalLimitError);
          assert.equal(
            error.message,
            "workspace acme: up would remove 3 members, more than maxRemovals (1): carol, dave (pending invite: " +
              "revoked), erin. Nothing was changed in workspace acme. To proceed: raise maxRemovals to 3 for this " +
              'change, or set unmanaged: "report" to keep what the program does not declare without removing it, ' +
              "or declare the members to keep.",
          );
          assert.equal(error.count, 3);
          assert.equal(error.limit, 1);
          return true;
        },
      );
      assert.throws(
        () => checkRemovalLimit({ maxRemovals: 0 }, ["carol"], { where: "space s1 of acme", noun: MEMBERS }),
        { message: /^space s1 of acme: up would remove 1 member, more than maxRemovals \(0\): carol\. / },
      );
    });

    it("names the first 20 and counts the rest", () => {
      assert.throws(
        () => checkRemovalLimit({ maxRemovals: 10 }, names(25, "x"), subject),
        (error: Error) => {
          assert.ok(error.message.includes(`: ${names(20, "x").join(", ")} and 5 more. Nothing was changed`));
          assert.ok(error.message.includes("raise maxRemovals to 25 for this change"));
          return true;
        },
      );
    });

    it("prints as one line without frames where the dynamic-provider host prints `${error}: ${error.stack}`", () => {
      try {
        checkRemovalLimit({ maxRemovals: 0 }, ["carol"], subject);
        assert.fail("expected a refusal");
      } catch (error) {
        assert.ok(error instanceof RemovalLimitError);
        const printed = `${String(error)}: ${String(error.stack)}`;
        assert.equal(printed, `Stopped by maxRemovals: ${error.message}`);
        assert.equal(printed.split("\n").length, 1);
      }
    });
  });
});
