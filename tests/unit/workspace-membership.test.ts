/** WorkspaceMembership: adoption, drift and delete against fake clients. */
import { strict as assert } from "node:assert";
import { setProviderContext } from "../../provider/context";
import { Fakes, membership, workspaceMembership } from "../support/fakes";

describe("WorkspaceMembership", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const stored = { workspace: "acme", username: "ada", memberToken: "tok-ada", state: "active" };

  it("create adopts the live member (usernames compare case-insensitively) and sends nothing", async () => {
    fakes.memberships = [membership("Ada", "active", { admin: true })];
    const created = await workspaceMembership.create({ workspace: "acme", username: "ada" });
    assert.equal(created.id, "acme/Ada");
    assert.deepEqual(created.outs, {
      workspace: "acme",
      username: "ada",
      memberToken: "tok-Ada",
      state: "active",
      admin: true,
      managedByScim: false,
      activatedAt: null,
      adopted: true,
    });
    assert.deepEqual(fakes.calls, ["listMemberships"]);
  });

  it("create fails naming the username and pointing at WorkspaceInvite when there is no such member", async () => {
    fakes.memberships = [membership("bob", "active"), membership("cy", "deactivated")];
    for (const username of ["ada", "cy"]) {
      await assert.rejects(workspaceMembership.create({ workspace: "acme", username }), (err: Error) => {
        assert.match(err.message, new RegExp(`Cannot bring ${username} under management`));
        assert.match(err.message, /mode\.WorkspaceInvite/);
        return true;
      });
    }
  });

  it("drift: removed → replace on memberToken; deactivated → replace on state; active or invited → none", async () => {
    const cases: [ReturnType<typeof membership>[], string[]][] = [
      [[membership("ada", "active")], []],
      [[membership("ada", "invited")], []],
      [[], ["memberToken"]],
      [[membership("ada", "deactivated")], ["state"]],
    ];
    for (const [memberships, replaces] of cases) {
      setProviderContext(fakes.context());
      fakes.memberships = memberships;
      const result = await workspaceMembership.diff("acme/ada", stored, {
        workspace: "acme",
        username: "ada",
      });
      assert.deepEqual(result.replaces, replaces);
    }
    assert.ok(
      fakes.warnings.some((line) =>
        line.startsWith("mode:WorkspaceMembership ada in acme: the member was removed"),
      ),
    );
  });

  it("delete removes the member; a SCIM-managed one is refused", async () => {
    fakes.memberships = [membership("ada", "active")];
    await workspaceMembership.delete("acme/ada", stored);
    assert.deepEqual(fakes.calls, ["listMemberships", "deleteMembership tok-ada"]);
    setProviderContext(fakes.context());
    fakes.memberships = [membership("ada", "active", { scim: true })];
    await assert.rejects(workspaceMembership.delete("acme/ada", stored), /managed by SCIM/);
  });

  it("the delete half of a replacement that runs after its create leaves the adopted member alone", async () => {
    fakes.memberships = [membership("ada", "active")];
    await workspaceMembership.create({ workspace: "acme", username: "Ada" });
    await workspaceMembership.delete("acme/ada", stored);
    assert.deepEqual(fakes.calls, ["listMemberships"], "no delete was sent");
  });
});
