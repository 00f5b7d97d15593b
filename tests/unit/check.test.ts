/** check() of every resource: one failure per bad property, unknowns pass, secrets never echoed. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider";
import {
  acceptance,
  failuresOf,
  orgInviteProvider,
  spaceMembership,
  workspaceInvite,
} from "../support/fakes";

describe("check", () => {
  it("accepts valid WorkspaceInvite inputs, trims the email and fills the default message", async () => {
    const result = await workspaceInvite.check(
      {},
      { workspace: "acme", email: "  Ada@Example.com ", __provider: "p" },
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs.email, "Ada@Example.com");
    assert.equal(result.inputs.message, "You have been invited to join the acme workspace on Mode.");
    assert.equal(result.inputs.__provider, "p");
  });

  it("reports one failure per bad property, naming it", async () => {
    const failures = await failuresOf(workspaceInvite, {
      workspace: "../admin",
      email: "not-an-email",
      message: "x".repeat(1001),
      extra: 1,
    });
    assert.deepEqual(Object.keys(failures).sort(), ["email", "extra", "message", "workspace"]);
    assert.match(failures.workspace, /workspace must be a Mode username.*"\.\.\/admin"/);
    assert.match(failures.email, /email must be an email address/);
    assert.match(failures.message, /at most 1000 characters, got 1001/);
    assert.match(failures.extra, /not an argument/);
  });

  it("rejects missing, empty and whitespace-only required values", async () => {
    const failures = await failuresOf(spaceMembership, { account: "   ", space: "", memberType: "User" });
    assert.deepEqual(Object.keys(failures).sort(), ["account", "memberToken", "space"]);
    assert.match(failures.account, /required and must not be empty/);
  });

  for (const bad of ["a/b", "a?b", "a#b", "a%2Fb", "..", "a b", "ü", "x".repeat(10_000)]) {
    it(`rejects the path-changing or oversized token ${JSON.stringify(bad.slice(0, 12))}`, async () => {
      const failures = await failuresOf(spaceMembership, {
        account: "acme",
        space: bad,
        memberType: "User",
        memberToken: bad,
      });
      assert.ok(failures.space, `space accepted ${bad.slice(0, 12)}`);
      assert.ok(failures.memberToken);
    });
  }

  it("rejects a wrong memberType with the allowed values", async () => {
    const failures = await failuresOf(spaceMembership, {
      account: "acme",
      space: "s1",
      memberType: "Robot",
      memberToken: "t1",
    });
    assert.equal(failures.memberType, 'memberType must be "User" or "UserGroup", got "Robot"');
  });

  it("rejects a non-string value with its type", async () => {
    const failures = await failuresOf(orgInviteProvider, { organizationId: 42, recipientEmail: "a@b.co" });
    assert.equal(failures.organizationId, "organizationId must be a string, got a number");
  });

  it("accepts the unknown placeholder in every field of every resource", async () => {
    const cases: [typeof workspaceInvite, string[]][] = [
      [workspaceInvite, ["workspace", "email", "message"]],
      [spaceMembership, ["account", "space", "memberType", "memberToken"]],
      [orgInviteProvider, ["organizationId", "recipientEmail", "inviteUserAs"]],
      [acceptance, ["organizationId", "inviteId", "code"]],
    ];
    for (const [provider, keys] of cases) {
      const news = Object.fromEntries(keys.map((key) => [key, UNKNOWN]));
      const result = await provider.check({}, news);
      assert.deepEqual(result.failures, [], keys.join(","));
    }
  });

  it("never echoes the invite code in a failure", async () => {
    const code = "secret code with spaces";
    const failures = await failuresOf(acceptance, { organizationId: "org", inviteId: "inv", code });
    assert.ok(failures.code);
    assert.ok(!failures.code.includes(code), failures.code);
  });

  it("accepts unicode in emails and rejects control characters", async () => {
    assert.deepEqual(
      await failuresOf(orgInviteProvider, { organizationId: "o", recipientEmail: "zoë@exämple.de" }),
      {},
    );
    const failures = await failuresOf(orgInviteProvider, {
      organizationId: "o",
      recipientEmail: "a\u0000@b.co",
    });
    assert.ok(failures.recipientEmail);
  });
});
