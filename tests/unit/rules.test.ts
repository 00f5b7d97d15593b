/**
 * One rule per field: whatever `check` accepts, the client accepts, and the other way round, so a
 * preview that passes never meets an argument error at `up`.
 */
import { strict as assert } from "assert";
import { ApiError, ModeClient, OrgClient } from "../../provider/client";
import { resourceProvider } from "../../provider";
import { RULES, meets } from "../../provider/rules";

const mode = new ModeClient({
  apiUrl: "http://127.0.0.1:9",
  token: "t0ken",
  secret: "s3cret",
  retry: { retries: 0 },
});
const org = new OrgClient({ apiUrl: "http://127.0.0.1:9", token: "t0ken", retry: { retries: 0 } });

/** Runs a client call and tells whether the client refused its arguments (nothing sent). */
async function clientRefuses(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
  } catch (err) {
    if (err instanceof ApiError && err.kind === "invalid_argument") return true;
    return false; // it was sent (the port is closed: a network error), so the arguments passed
  }
  return false;
}

async function checkAccepts(kind: string, inputs: Record<string, unknown>, field: string) {
  const result = await resourceProvider(kind).check({}, inputs);
  const failed = (result.failures ?? []).some((failure) => failure.property === field);
  return { accepted: !failed, value: result.inputs[field] };
}

const local = "a".repeat(64);
const emails: string[] = [
  "ada@example.com",
  "ada+mode@example.com",
  "zoë@exämple.de",
  "用户@例子.广告",
  "a@b.co",
  "a@b..c",
  "a@b.c.",
  "a@.b.c",
  "a@b",
  "@b.c",
  "a@@b.c",
  "a b@c.de",
  " ada@example.com ",
  "\tada@example.com\n",
  "a\u0000@b.co",
  "a@b.co\u007f",
  `${local}@${"b".repeat(185)}.com`, // 254 characters
  `${local}@${"b".repeat(186)}.com`, // 255 characters
  "",
];

const names: string[] = [
  "acme",
  "acme.data-team",
  "a_b",
  "A1",
  "-acme",
  ".acme",
  "a/b",
  "a b",
  "x?y",
  "a".repeat(100),
  "a".repeat(101),
  "..",
  "é",
];
const tokens: string[] = [
  "s1",
  "abc_DEF-123",
  "a.b",
  "-x",
  "x".repeat(128),
  "x".repeat(129),
  "a/b",
  "%2e",
  "",
];
const messages: string[] = ["", "hello", "ü".repeat(1000), "x".repeat(1001)];

describe("rules: check and the clients agree on every value", () => {
  it("the 254/255-character cases really are 254 and 255 characters", () => {
    assert.equal(emails[16].length, 254);
    assert.equal(emails[17].length, 255);
  });

  for (const email of emails) {
    it(`email ${JSON.stringify(email.length > 40 ? `${email.slice(0, 20)}…(${email.length})` : email)}`, async () => {
      const wi = await checkAccepts("WorkspaceInvite", { workspace: "acme", email }, "email");
      const oi = await checkAccepts(
        "OrgInvite",
        { organizationId: "o1", recipientEmail: email },
        "recipientEmail",
      );
      assert.equal(wi.accepted, oi.accepted, "both resources apply the same rule");
      const sent = String(wi.value ?? "");
      const modeRefuses = await clientRefuses(() => mode.createInvite("acme", { email: sent, message: "" }));
      const orgRefuses = await clientRefuses(() => org.createInvite("o1", { recipientEmail: sent }));
      assert.equal(!modeRefuses, wi.accepted, "the Mode client agrees with check on the checked value");
      assert.equal(!orgRefuses, wi.accepted, "the org client agrees with check on the checked value");
      // And the other way round: a raw value the client accepts, check accepts too.
      if (!(await clientRefuses(() => mode.createInvite("acme", { email, message: "" })))) {
        assert.ok(wi.accepted, "check refuses a value the client would send");
      }
      assert.equal(meets(RULES.email, sent), wi.accepted);
    });
  }

  for (const workspace of names) {
    it(`workspace/account name ${JSON.stringify(workspace.length > 20 ? `${workspace.slice(0, 5)}…(${workspace.length})` : workspace)}`, async () => {
      const checked = await checkAccepts("WorkspaceInvite", { workspace, email: "a@b.co" }, "workspace");
      const space = await checkAccepts(
        "SpaceMembership",
        { account: workspace, space: "s1", memberType: "User", memberToken: "u1" },
        "account",
      );
      assert.equal(checked.accepted, space.accepted);
      assert.equal(!(await clientRefuses(() => mode.getMembership(workspace, "m1"))), checked.accepted);
      assert.equal(
        !(await clientRefuses(() => mode.getSpaceMembership(workspace, "s1", "m1"))),
        checked.accepted,
      );
    });
  }

  for (const token of tokens) {
    it(`token ${JSON.stringify(token.length > 20 ? `${token.slice(0, 5)}…(${token.length})` : token)}`, async () => {
      const checked = await checkAccepts(
        "SpaceMembership",
        { account: "acme", space: token, memberType: "User", memberToken: token },
        "space",
      );
      const org1 = await checkAccepts(
        "OrgInvite",
        { organizationId: token, recipientEmail: "a@b.co" },
        "organizationId",
      );
      assert.equal(checked.accepted, org1.accepted);
      const refuses = await clientRefuses(() => mode.getSpaceMembership("acme", token, "m1"));
      assert.equal(!refuses, checked.accepted);
      const memberRefuses = await clientRefuses(() =>
        mode.createSpaceMembership("acme", "s1", { memberType: "User", memberToken: token }),
      );
      assert.equal(!memberRefuses, checked.accepted);
      assert.equal(!(await clientRefuses(() => org.getInvite(token, "i1"))), checked.accepted);
    });
  }

  for (const message of messages) {
    it(`invite message of ${[...message].length} characters`, async () => {
      const checked = await checkAccepts(
        "WorkspaceInvite",
        { workspace: "acme", email: "a@b.co", message },
        "message",
      );
      const refuses = await clientRefuses(() => mode.createInvite("acme", { email: "a@b.co", message }));
      assert.equal(!refuses, checked.accepted);
    });
  }
});
