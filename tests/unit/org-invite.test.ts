/** OrgInvite: diff (drift, replacement order) against fake clients. */
import { strict as assert } from "node:assert";
import { setProviderContext } from "../../provider/context";
import { Fakes, orgInvite, orgInviteProvider } from "../support/fakes";

describe("OrgInvite", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const org = {
    organizationId: "org1",
    recipientEmail: "ada@example.com",
    inviteId: "i1",
    status: "pending",
  };

  it("OrgInvite: pending or accepted → no change; cancelled or deleted → replace on status", async () => {
    fakes.invites = [orgInvite("i1", "ada@example.com")];
    assert.equal(
      (await orgInviteProvider.diff("i1", org, { ...org, recipientEmail: "Ada@Example.com" })).changes,
      false,
    );
    for (const [invites, expected] of [
      [[orgInvite("i1", "ada@example.com", { accepted: true })], false],
      [[orgInvite("i1", "ada@example.com", { cancelled: true })], true],
      [[], true],
    ] as const) {
      setProviderContext(fakes.context());
      fakes.invites = [...invites];
      const result = await orgInviteProvider.diff("i1", org, org);
      assert.equal(result.changes, expected);
      if (expected) assert.deepEqual(result.replaces, ["status"]);
    }
  });

  it("OrgInvite: a role change for the same email deletes first; an email change does not", async () => {
    const role = await orgInviteProvider.diff("i1", org, { ...org, inviteUserAs: "admin" });
    assert.deepEqual(role, { changes: true, replaces: ["inviteUserAs"], deleteBeforeReplace: true });
    const email = await orgInviteProvider.diff("i1", org, { ...org, recipientEmail: "bob@example.com" });
    assert.deepEqual(email, { changes: true, replaces: ["recipientEmail"], deleteBeforeReplace: false });
    assert.deepEqual(fakes.calls, []);
  });
});
