/** WorkspaceInvite: diff (drift, updates, unknowns), update and delete against fake clients. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { Fakes, membership, workspaceInvite } from "../support/fakes";

describe("WorkspaceInvite", () => {
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

  describe("create: who the invitee is", () => {
    const args = { workspace: "acme", email: "ada@example.com", message: "hi" };

    it("is named by _links.invitee; the workspace is listed once before the first invite of a process", async () => {
      const created = await workspaceInvite.create(args);
      assert.equal(created.outs.memberUsername, "ada");
      assert.equal(created.id, "acme/ada");
      await workspaceInvite.create({ ...args, email: "bob@example.com" });
      assert.deepEqual(fakes.calls, [
        "listMemberships",
        "createInvite ada@example.com",
        "createInvite bob@example.com",
      ]);
    });

    it("without _links.invitee, is the one pending membership the invite added (tracked, then revoked on delete)", async () => {
      fakes.inviteeLink = false;
      fakes.memberships = [membership("grace", "invited"), membership("bob", "active")];
      const created = await workspaceInvite.create(args);
      assert.equal(created.outs.memberUsername, "ada");
      assert.equal(created.outs.inviteeId, "7");
      assert.deepEqual(fakes.calls, ["listMemberships", "createInvite ada@example.com", "listMemberships"]);
      const clean = await workspaceInvite.diff(created.id, created.outs, args);
      assert.equal(clean.changes, false);
      setProviderContext(fakes.context()); // a later run (a new provider process) destroys it
      await workspaceInvite.delete(created.id, created.outs);
      assert.deepEqual(fakes.calls.slice(-1), ["deleteMembership tok-ada"]);
    });

    it("without _links.invitee and with another invite landing at the same moment, fails saying what to do; one POST", async () => {
      fakes.inviteeLink = false;
      fakes.invitedMeanwhile = ["eve"];
      await assert.rejects(
        workspaceInvite.create(args),
        /^Error: Mode accepted the invite of ada@example\.com to acme but did not say who the invitee is \(the answer has no _links\.invitee\), and 2 new pending memberships appeared at the same moment \(ada, eve\), so .* declare a mode\.WorkspaceMembership with it/,
      );
      assert.equal(fakes.calls.filter((c) => c.startsWith("createInvite")).length, 1);
    });

    it("without _links.invitee for an invite that was already pending, fails without guessing", async () => {
      fakes.inviteeLink = false;
      fakes.memberships = [membership("ada", "invited")];
      await assert.rejects(
        workspaceInvite.create(args),
        /no new pending membership appeared \(the invite was already pending\)/,
      );
    });
  });

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

describe("WorkspaceInvite delete revokes access", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const stored = { workspace: "acme", email: "ada@example.com", message: "hi", memberUsername: "ada" };

  for (const state of ["invited", "expired", "active", "deactivated"]) {
    it(`a ${state} membership is deleted by its member token, found by username`, async () => {
      fakes.memberships = [membership("Ada", state), membership("bob", "active")];
      await workspaceInvite.delete("acme/ada", stored);
      assert.deepEqual(fakes.calls, ["listMemberships", "deleteMembership tok-Ada"]);
      assert.deepEqual(fakes.warnings, []);
    });
  }

  it("already gone (not listed, or a 404) is success", async () => {
    fakes.memberships = [membership("bob", "active")];
    await workspaceInvite.delete("acme/ada", stored);
    assert.deepEqual(fakes.calls, ["listMemberships"]);
    setProviderContext(fakes.context());
    fakes.memberships = [membership("ada", "invited")];
    fakes.deleteStatus = 404;
    await workspaceInvite.delete("acme/ada", stored);
  });

  it("a SCIM-managed membership is never deleted: the error says why and what to do", async () => {
    fakes.memberships = [membership("ada", "active", { scim: true })];
    await assert.rejects(workspaceInvite.delete("acme/ada", stored), (err: Error) => {
      assert.match(err.message, /Not removing ada@example\.com from acme: the membership is managed by SCIM/);
      assert.match(err.message, /identity provider/);
      assert.match(err.message, /pulumi state delete/);
      assert.match(err.message, /retainOnDelete/);
      return true;
    });
    assert.deepEqual(fakes.calls, ["listMemberships"], "no delete was sent");
  });

  it("Mode's refusal to remove the credentials' own user becomes a message that says what to do", async () => {
    fakes.memberships = [membership("ada", "active", { admin: true })];
    fakes.deleteStatus = 400;
    await assert.rejects(workspaceInvite.delete("acme/ada", stored), (err: Error) => {
      assert.match(err.message, /Not removing ada@example\.com from acme: Mode refused/);
      assert.match(err.message, /user whose API token this stack uses/);
      assert.match(err.message, /retainOnDelete/);
      return true;
    });
  });

  it("a drift finding prints one reason line per object, however often diff runs", async () => {
    fakes.memberships = [membership("ada", "expired")];
    const olds = { ...stored, expiresAt: "2026-11-30T10:00:00Z" };
    await workspaceInvite.diff("acme/ada", olds, olds);
    await workspaceInvite.diff("acme/ada", olds, olds);
    assert.deepEqual(fakes.warnings, [
      "mode:WorkspaceInvite ada@example.com in acme: the invite expired unaccepted on 2026-11-30 — up sends a new invite",
    ]);
  });
});
