/** One owner per remote object: the SDK refuses a second resource claiming what another manages. */
import { strict as assert } from "node:assert";
import { resourceProvider } from "../../provider";
import { CLAIM_CONFLICT } from "../../provider/rules";
import { register } from "../../sdk/claims";
import { spaceMemberClaim } from "../../sdk/space-membership";

describe("claims", () => {
  it("refuses a second resource on the same object, naming the object and both resources", () => {
    const claims = new Map();
    register('mode:SpaceMembership "a"', spaceMemberClaim("acme", "s1", "User", "u1"), claims);
    assert.throws(
      () => register('mode:SpaceMembership "b"', spaceMemberClaim("acme", "s1", "User", "u1"), claims),
      /mode:SpaceMembership "b" would manage user u1 in space s1 of acme, but mode:SpaceMembership "a" already manages/,
    );
  });

  it("a claim on a whole space conflicts with a claim on one of its members, both ways", () => {
    const space = { key: ["space", "acme", "s1"], object: "every member of space s1 of acme" };
    const first = new Map();
    register('mode:SpaceMembers "team"', space, first);
    assert.throws(
      () => register('mode:SpaceMembership "x"', spaceMemberClaim("acme", "s1", "User", "u1"), first),
      /space s1 of acme/,
    );
    const second = new Map();
    register('mode:SpaceMembership "x"', spaceMemberClaim("acme", "s1", "User", "u1"), second);
    assert.throws(
      () => register('mode:SpaceMembers "team"', space, second),
      /every member of space s1 of acme/,
    );
  });

  it("different objects, and the same resource registering again, are fine", () => {
    const claims = new Map();
    register('mode:SpaceMembership "a"', spaceMemberClaim("acme", "s1", "User", "u1"), claims);
    register('mode:SpaceMembership "a"', spaceMemberClaim("acme", "s1", "User", "u1"), claims);
    register('mode:SpaceMembership "b"', spaceMemberClaim("acme", "s1", "User", "u2"), claims);
    register('mode:SpaceMembership "c"', spaceMemberClaim("acme", "s10", "User", "u1"), claims);
    register('mode:SpaceMembership "d"', spaceMemberClaim("acme", "s1", "UserGroup", "u1"), claims);
    assert.equal(claims.size, 4);
  });

  it("agrees with the definition (equal, or one a prefix of the other at a /) on random claims", () => {
    // The definition, checked against every held claim in turn.
    const reference = (held: Map<string, string>, resource: string, key: string): string | undefined => {
      for (const [k, owner] of held) {
        if (owner === resource && k === key) return undefined;
        if (k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`)) return owner;
      }
      return undefined;
    };
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let run = 0; run < 200; run++) {
      const claims = new Map();
      const held = new Map<string, string>();
      for (let i = 0; i < 12; i++) {
        const key = Array.from({ length: 1 + random(4) }, () => ["a", "b", "a/b", "ab"][random(4)]);
        const resource = `r${random(6)}`;
        const expected = reference(held, resource, key.join("/"));
        let thrown: string | undefined;
        try {
          register(resource, { key, object: key.join("/") }, claims);
        } catch (err) {
          thrown = (err as Error).message;
        }
        if (expected === undefined) {
          assert.equal(
            thrown,
            undefined,
            `${resource} ${key.join("/")} after ${[...held.keys()].join(", ")}`,
          );
          if (!held.has(key.join("/"))) held.set(key.join("/"), resource);
        } else {
          assert.ok(thrown?.includes(`but ${expected} already manages`), `${thrown} (expected ${expected})`);
        }
      }
    }
  });

  it("an input the program marked as a claim conflict fails check with its message, for every resource", async () => {
    for (const kind of ["SpaceMembership", "OrgInvite", "WorkspaceInvite", "SpaceMembers"]) {
      const message = 'mode:X "b" would manage something, but mode:X "a" already manages it';
      const result = await resourceProvider(kind).check(
        {},
        { account: `${CLAIM_CONFLICT}${message}`, space: "s1" },
      );
      assert.deepEqual(result.failures, [{ property: "account", reason: message }], kind);
    }
  });
});
