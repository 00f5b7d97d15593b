/** SpaceMembership: diff (drift, replacement order, unknowns) against fake clients. */
import { strict as assert } from "node:assert";
import type { SpaceMembership } from "../../provider/client";
import { UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { Fakes, spaceMembership } from "../support/fakes";

describe("SpaceMembership", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const space = { account: "acme", space: "s1", memberType: "User", memberToken: "u1", token: "m1" };
  const liveSpaceMembership: SpaceMembership = {
    token: "m1",
    member_token: "u1",
    member_type: "User",
    member_id: 7,
    _links: { self: { href: "/x" }, member: { href: "/api/u1" } },
  };

  it("SpaceMembership: present → no change; removed → replace on token", async () => {
    fakes.spaceMemberships = [liveSpaceMembership];
    assert.equal((await spaceMembership.diff("m1", space, space)).changes, false);
    setProviderContext(fakes.context());
    fakes.spaceMemberships = [];
    assert.deepEqual(await spaceMembership.diff("m1", space, space), {
      changes: true,
      replaces: ["token"],
      deleteBeforeReplace: true,
    });
  });

  it("SpaceMembership: memberType change deletes first; a new space does not", async () => {
    const sameMember = await spaceMembership.diff("m1", space, { ...space, memberType: "UserGroup" });
    assert.deepEqual(sameMember, { changes: true, replaces: ["memberType"], deleteBeforeReplace: true });
    const moved = await spaceMembership.diff("m1", space, { ...space, space: "s2" });
    assert.deepEqual(moved, { changes: true, replaces: ["space"], deleteBeforeReplace: false });
    const unknown = await spaceMembership.diff("m1", space, { ...space, memberToken: UNKNOWN });
    assert.deepEqual(unknown.replaces, ["memberToken"]);
    assert.deepEqual(fakes.calls, []);
  });
});
