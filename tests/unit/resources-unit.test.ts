/**
 * Unit tests of check and diff for every resource, with the API clients replaced by in-memory
 * fakes that count calls (so "no request" is provable).
 */
import { strict as assert } from "node:assert";
import type {
  ModeClient,
  OrgClient,
  OrgInvite,
  SpaceMembership,
  WorkspaceMembership,
} from "../../provider/client";
import { ProviderContext, setProviderContext } from "../../provider/context";
import { resourceProvider, UNKNOWN } from "../../provider";
import type { PropertyBag } from "../../provider/inputs";

/** Fake Mode/org clients: listings served from arrays, every call counted. */
class Fakes {
  calls: string[] = [];
  memberships: WorkspaceMembership[] = [];
  spaceMemberships: SpaceMembership[] = [];
  invites: OrgInvite[] = [];
  warnings: string[] = [];

  context(): ProviderContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fakes = this;
    async function* iterate<T>(name: string, items: T[]): AsyncIterableIterator<T> {
      fakes.calls.push(name);
      yield* items;
    }
    const mode = {
      listMemberships: () => iterate("listMemberships", fakes.memberships),
      listSpaceMemberships: () => iterate("listSpaceMemberships", fakes.spaceMemberships),
    };
    const org = { listInvites: () => iterate("listInvites", fakes.invites) };
    return new (class extends ProviderContext {
      override modeClient(): ModeClient {
        return mode as unknown as ModeClient;
      }
      override orgClient(): OrgClient {
        return org as unknown as OrgClient;
      }
    })((message) => fakes.warnings.push(message));
  }
}

function membership(username: string, state: string): WorkspaceMembership {
  return {
    admin: false,
    state,
    member_username: username,
    member_token: `tok-${username}`,
    _links: { self: { href: `/api/acme/memberships/tok-${username}` } },
  };
}

function orgInvite(
  id: string,
  email: string,
  extra: { accepted?: boolean; cancelled?: boolean } = {},
): OrgInvite {
  const user = (present: boolean | undefined) => ({ data: present ? { id: "u1", type: "users" } : null });
  return {
    id,
    type: "organization_invites",
    attributes: {
      accepted_at: extra.accepted ? "2026-11-01T00:00:00Z" : "-4712-01-01T00:00:00Z",
      code: "c0de",
      created_at: "2026-11-01T00:00:00Z",
      recipient_email: email,
      updated_at: "2026-11-01T00:00:00Z",
      invite_user_as: null,
    },
    relationships: {
      accepted_by_user: user(extra.accepted),
      cancelled_by_user: user(extra.cancelled),
      invited_by_user: user(true),
    },
  };
}

const workspaceInvite = resourceProvider("WorkspaceInvite");
const spaceMembership = resourceProvider("SpaceMembership");
const orgInviteProvider = resourceProvider("OrgInvite");
const acceptance = resourceProvider("OrgInviteAcceptance");

async function failuresOf(
  provider: typeof workspaceInvite,
  news: PropertyBag,
): Promise<Record<string, string>> {
  const result = await provider.check({}, news);
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}

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

describe("diff", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const invite = {
    workspace: "acme",
    email: "ada@example.com",
    message: "hi",
    memberUsername: "ada",
    status: "pending",
  };

  it("WorkspaceInvite: no change when nothing changed and the invite is pending", async () => {
    fakes.memberships = [membership("ada", "invited")];
    const result = await workspaceInvite.diff("acme/ada", invite, { ...invite, email: "ADA@example.com" });
    assert.deepEqual(result, { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(fakes.calls, ["listMemberships"]);
  });

  it("WorkspaceInvite: an accepted invite is not drift", async () => {
    fakes.memberships = [membership("ada", "active")];
    const result = await workspaceInvite.diff("acme/ada", invite, invite);
    assert.equal(result.changes, false);
  });

  for (const [label, memberships] of [
    ["expired", [membership("ada", "expired")]],
    ["deactivated", [membership("ada", "deactivated")]],
    ["removed", [membership("bob", "active")]],
  ] as const) {
    it(`WorkspaceInvite: a ${label} membership is drift → replace on status`, async () => {
      fakes.memberships = [...memberships];
      const result = await workspaceInvite.diff("acme/ada", invite, invite);
      assert.deepEqual(result, { changes: true, replaces: ["status"], deleteBeforeReplace: true });
    });
  }

  it("WorkspaceInvite: a changed message is an update, not a replace or re-send", async () => {
    fakes.memberships = [membership("ada", "invited")];
    const result = await workspaceInvite.diff("acme/ada", invite, { ...invite, message: "new" });
    assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await workspaceInvite.update("acme/ada", invite, { ...invite, message: "new" });
    assert.equal(updated.outs.message, "new");
    assert.equal(updated.outs.memberUsername, "ada");
  });

  it("WorkspaceInvite: a changed email replaces, and unknowns send no request", async () => {
    const changed = await workspaceInvite.diff("acme/ada", invite, { ...invite, email: "bob@example.com" });
    assert.deepEqual(changed.replaces, ["email"]);
    const unknown = await workspaceInvite.diff("acme/ada", invite, { ...invite, workspace: UNKNOWN });
    assert.deepEqual(unknown, { changes: true, replaces: ["workspace"], deleteBeforeReplace: true });
    assert.deepEqual(fakes.calls, []);
  });

  const space = { account: "acme", space: "s1", memberType: "User", memberToken: "u1", token: "m1" };
  const liveSpaceMembership: SpaceMembership = {
    token: "m1",
    member_token: "u1",
    member_type: "User",
    _links: { self: { href: "/x" } },
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

  const accepted = {
    organizationId: "org1",
    inviteId: "i1",
    code: "c0de",
    acceptedAt: "2026-11-01T00:00:00Z",
  };

  it("OrgInviteAcceptance: accepted → no change; invite gone → replace on acceptedAt; unknown code → replace", async () => {
    fakes.invites = [orgInvite("i1", "ada@example.com", { accepted: true })];
    assert.equal((await acceptance.diff("i1", accepted, accepted)).changes, false);
    setProviderContext(fakes.context());
    fakes.invites = [];
    assert.deepEqual((await acceptance.diff("i1", accepted, accepted)).replaces, ["acceptedAt"]);
    fakes.calls = [];
    const unknown = await acceptance.diff("i1", accepted, { ...accepted, inviteId: UNKNOWN, code: UNKNOWN });
    assert.deepEqual(unknown.replaces, ["inviteId", "code"]);
    assert.deepEqual(fakes.calls, []);
  });

  it("shares one listing between concurrent diffs of the same collection", async () => {
    fakes.memberships = [membership("ada", "invited"), membership("bob", "invited")];
    const other = { ...invite, email: "bob@example.com", memberUsername: "bob" };
    const results = await Promise.all([
      workspaceInvite.diff("acme/ada", invite, invite),
      workspaceInvite.diff("acme/bob", other, other),
      workspaceInvite.diff("acme/ada", invite, invite),
    ]);
    assert.deepEqual(
      results.map((r) => r.changes),
      [false, false, false],
    );
    assert.deepEqual(fakes.calls, ["listMemberships"]);
  });
});
