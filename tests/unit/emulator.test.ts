/**
 * Emulator integration tests, Mode API: invites, workspace memberships, space memberships, auth,
 * pagination, invite states and the generic HTTP rules (413, 415, 405, malformed JSON, path segments).
 */
import { strict as assert } from "node:assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import {
  Collection,
  InviteBody,
  MembershipBody,
  ModeError,
  SpaceMembershipBody,
  basic,
  collectPages,
  control,
  ensureMember,
  rawRequest,
  req,
  setMemberAdmin,
  setMemberScim,
} from "../../testing/emulator-control";

describe("emulator: Mode API", () => {
  let emu: RunningEmulator;
  let admin: string;
  let ws: string;
  let base: string;

  before(async () => {
    emu = await startEmulator({ port: 0, modePageSize: 4 });
    admin = basic(emu.seed.mode.token, emu.seed.mode.secret);
    ws = emu.seed.mode.workspace;
    base = `${emu.modeApiUrl}/${ws}`;
  });
  after(() => emu.close());
  beforeEach(async () => {
    assert.equal((await control(emu, "POST", "/reset")).status, 200);
  });

  const invite = (email: unknown, message: unknown = "Welcome!", auth?: string) =>
    req<InviteBody & ModeError>("POST", `${base}/invites`, {
      auth: auth ?? admin,
      body: { invite: { invitee: { email }, message } },
    });
  const memberships = async (): Promise<MembershipBody[]> => {
    const { all } = await collectPages<Collection<MembershipBody>, MembershipBody>(
      `${base}/memberships`,
      admin,
      (p) => p._embedded.memberships,
      (p) => p._links.next_page?.href,
    );
    return all;
  };
  const membershipOf = async (username: string): Promise<MembershipBody | undefined> =>
    (await memberships()).find((m) => m.member_username === username);

  describe("seed", () => {
    it("reports deterministic seed values with the documented shape", async () => {
      const s = emu.seed;
      assert.equal(s.modeApiUrl, emu.modeApiUrl);
      assert.match(s.modeApiUrl, /^http:\/\/127\.0\.0\.1:\d+\/mode\/api$/);
      assert.match(s.orgApiUrl, /\/org$/);
      assert.equal(s.mode.workspace, "acme-analytics");
      assert.match(s.mode.token, /^[0-9a-f]{12}$/);
      assert.match(s.mode.secret, /^[0-9a-f]{40}$/);
      assert.equal(s.mode.users.length, 5);
      assert.deepEqual(s.mode.users[0], {
        username: "ada",
        token: s.mode.users[0].token,
        email: "ada@acme.example",
      });
      assert.equal(s.mode.spaces.length, 3);
      assert.equal(s.mode.userGroups.length, 2);
      const second = await startEmulator({ port: 0 });
      try {
        assert.deepEqual(second.seed.mode, s.mode);
        assert.deepEqual(second.seed.org, s.org);
      } finally {
        await second.close();
      }
    });

    it("lists the seeded users and the admin as active members", async () => {
      const all = await memberships();
      assert.equal(all.length, 6);
      assert.ok(all.every((m) => m.state === "active" && m.invited === false));
      const adminM = all.find((m) => m.member_username === "admin");
      assert.equal(adminM?.admin, true);
      for (const u of emu.seed.mode.users) {
        const m = all.find((x) => x.member_username === u.username);
        assert.equal(m?.member_token, u.token);
      }
    });
  });

  describe("authentication and authorization", () => {
    it("answers 401 without or with wrong credentials, in the HAL error shape", async () => {
      for (const auth of [
        undefined,
        basic(emu.seed.mode.token, "wrong"),
        "Bearer x",
        basic("nope", "nope"),
      ]) {
        const r = await req<ModeError>("GET", `${base}/memberships`, auth ? { auth } : {});
        assert.equal(r.status, 401);
        assert.equal(r.headers.get("content-type"), "application/hal+json");
        assert.equal(r.json.id, "unauthorized");
        assert.match(r.json.message, /\w+ \w+/);
      }
    });

    it("checks auth before the workspace's existence", async () => {
      const r = await req("GET", `${emu.modeApiUrl}/no-such-ws/memberships`);
      assert.equal(r.status, 401);
      const r2 = await req<ModeError>("GET", `${emu.modeApiUrl}/no-such-ws/memberships`, { auth: admin });
      assert.equal(r2.status, 404);
      assert.equal(r2.json.id, "not_found");
    });

    it("answers 403 to valid credentials that are not members", async () => {
      const na = basic(emu.seed.mode.noAccess.token, emu.seed.mode.noAccess.secret);
      assert.equal((await req("GET", `${base}/memberships`, { auth: na })).status, 403);
      assert.equal((await invite("x@y.example", "hi", na)).status, 403);
      const sp = `${base}/spaces/${emu.seed.mode.spaces[0]}/memberships`;
      assert.equal((await req("GET", sp, { auth: na })).status, 403);
    });

    it("lets a Workspace API token read but refuses it on invites with an explanatory 403", async () => {
      const wt = basic(emu.seed.mode.workspaceApiToken.token, emu.seed.mode.workspaceApiToken.secret);
      assert.equal((await req("GET", `${base}/memberships`, { auth: wt })).status, 200);
      const sp = `${base}/spaces/${emu.seed.mode.spaces[0]}/memberships`;
      const c = await req("POST", sp, {
        auth: wt,
        body: { membership: { member_type: "User", member_token: emu.seed.mode.users[0].token } },
      });
      assert.equal(c.status, 200);
      const r = await invite("new@x.example", "hi", wt);
      assert.equal(r.status, 403);
      assert.equal(r.json.id, "forbidden");
      assert.match(r.json.message, /Workspace API tokens cannot be used with the invites endpoint/);
      assert.match(r.json.message, /personal API token/);
    });

    it("deactivates a member through the control interface", async () => {
      const u = await control<{ token: string }>(emu, "POST", "/mode/users", {
        workspace: ws,
        username: "tmp",
      });
      assert.equal(u.status, 200);
      const d = await control<{ membership: { state: string } }>(emu, "POST", "/mode/deactivate", {
        workspace: ws,
        memberToken: u.json.token,
      });
      assert.equal(d.json.membership.state, "deactivated");
      const m = await membershipOf("tmp");
      assert.equal(m?.state, "deactivated");
      assert.equal(m?.invited, false);
      // Re-inviting a deactivated member issues a fresh invite on the same membership.
      const again = await invite("tmp@acme.example");
      assert.equal(again.status, 200);
      assert.equal(again.json.resent_at, null);
      assert.equal(again.json._links.invitee.href, m?._links.user.href);
      const after = await membershipOf("tmp");
      assert.equal(after?.state, "invited");
      assert.equal(after?.member_token, u.json.token);
      const gone = await control(emu, "POST", "/mode/deactivate", { workspace: ws, memberToken: "nope" });
      assert.equal(gone.status, 404);
    });
  });

  describe("workspace invites", () => {
    it("creates an invite and an invited membership tied by the same user href", async () => {
      const r = await invite("Harold.Ceramicist@Example.com", "You are an analyst, Harry!");
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/hal+json");
      const inv = r.json;
      assert.equal(inv.email, "Harold.Ceramicist@Example.com");
      assert.equal(inv.message, "You are an analyst, Harry!");
      assert.equal(inv.organization_id, 1);
      assert.equal(inv.resent_at, null);
      assert.equal(inv.accepted_at, null);
      assert.equal(Date.parse(inv.expires_at) - Date.parse(inv.sent_at), 7 * 24 * 3600 * 1000);
      for (const k of ["self", "invitee", "inviter", "web_self_resend"] as const) {
        assert.equal(inv._links[k].templated, false);
        assert.match(inv._links[k].href, /^http:\/\//);
      }
      assert.deepEqual(inv._embedded, {});
      const m = (await memberships()).find((x) => x._links.user.href === inv._links.invitee.href);
      assert.ok(m, "membership with the invitee's user href");
      assert.equal(m.state, "invited");
      assert.equal(m.invited, true);
      assert.equal(m.member_username, "harold_ceramicist");
      assert.equal(inv._links.invitee.href, `${emu.modeApiUrl}/harold_ceramicist`);
      const one = await req<MembershipBody>("GET", m._links.self.href, { auth: admin });
      assert.equal(one.status, 200);
      assert.equal(one.json.member_token, m.member_token);
    });

    it("resends a pending invite (case-insensitively) without a second membership", async () => {
      const first = await invite("pending@x.example");
      const before = (await memberships()).length;
      const again = await invite("PENDING@x.example");
      assert.equal(again.status, 200);
      assert.equal(again.json.sent_at, first.json.sent_at);
      assert.equal(again.json.created_at, first.json.created_at);
      assert.notEqual(again.json.resent_at, null);
      assert.equal(again.json._links.invitee.href, first.json._links.invitee.href);
      assert.equal((await memberships()).length, before);
    });

    it("makes usernames unique", async () => {
      const a = await invite("ada@elsewhere.example");
      assert.equal(a.json._links.invitee.href, `${emu.modeApiUrl}/ada2`);
    });

    it("refuses active members and bad bodies with 400", async () => {
      const dup = await invite("ADA@acme.example");
      assert.equal(dup.status, 400);
      assert.equal(dup.json.id, "bad_request");
      assert.match(dup.json.message, /already a member/);
      for (const email of [undefined, "", "not-an-email", "a@b", 42, "a b@c.example"]) {
        const r = await invite(email);
        assert.equal(r.status, 400, `email ${String(email)}`);
      }
      assert.equal((await invite("ok@x.example", "x".repeat(1001))).status, 400);
      assert.equal((await invite("ok@x.example", "x".repeat(1000))).status, 200);
      for (const body of [{}, { invite: {} }, { invite: { invitee: "a@b.example" } }, [], "null"]) {
        const r = await req<ModeError>("POST", `${base}/invites`, { auth: admin, body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.json.id, "bad_request");
      }
      // The published request body (CreateInviteRequestBody) requires the message; it may be empty.
      const noMessage = await req<ModeError>("POST", `${base}/invites`, {
        auth: admin,
        body: { invite: { invitee: { email: "quiet@x.example" } } },
      });
      assert.equal(noMessage.status, 400);
      assert.deepEqual(noMessage.json, {
        id: "bad_request",
        message: "invite.message is required (it may be empty).",
      });
      assert.equal(await membershipOf("quiet"), undefined);
      assert.equal((await invite("quiet@x.example", "")).status, 200);
    });

    it("follows the life cycle: accept via control → active; 8 days → expired; re-invite → invited", async () => {
      await invite("life@x.example");
      await invite("late@x.example");
      const acc = await control(emu, "POST", "/mode/accept-invite", {
        workspace: ws,
        email: "LIFE@x.example",
      });
      assert.equal(acc.status, 200);
      let life = await membershipOf("life");
      assert.equal(life?.state, "active");
      assert.equal(life?.invited, false);
      assert.ok(life?.activated_at);
      assert.equal((await invite("life@x.example")).status, 400);
      const again = await control(emu, "POST", "/mode/accept-invite", {
        workspace: ws,
        email: "life@x.example",
      });
      assert.equal(again.status, 404);

      const clock = await control<{ now: string }>(emu, "POST", "/clock/advance", { seconds: 8 * 24 * 3600 });
      assert.ok(Date.parse(clock.json.now) > Date.now() + 7 * 24 * 3600 * 1000);
      assert.equal((await membershipOf("late"))?.state, "expired");
      life = await membershipOf("life");
      assert.equal(life?.state, "active");
      const noAccept = await control(emu, "POST", "/mode/accept-invite", {
        workspace: ws,
        email: "late@x.example",
      });
      assert.equal(noAccept.status, 404);

      const fresh = await invite("late@x.example");
      assert.equal(fresh.status, 200);
      assert.equal(fresh.json.resent_at, null);
      assert.ok(Date.parse(fresh.json.sent_at) >= Date.parse(clock.json.now));
      assert.equal(Date.parse(fresh.json.expires_at) - Date.parse(fresh.json.sent_at), 7 * 24 * 3600 * 1000);
      assert.equal((await membershipOf("late"))?.state, "invited");
      assert.equal((await memberships()).filter((m) => m.member_username === "late").length, 1);
    });
  });

  describe("workspace memberships", () => {
    it("paginates over at least 3 pages with absolute next_page links, a pagination object and no duplicates", async () => {
      for (let i = 0; i < 6; i++)
        await control(emu, "POST", "/mode/users", { workspace: ws, username: `p${i}` });
      const { all, pages } = await collectPages<Collection<MembershipBody>, MembershipBody>(
        `${base}/memberships`,
        admin,
        (p) => p._embedded.memberships,
        (p) => p._links.next_page?.href,
      );
      assert.equal(all.length, 12);
      assert.equal(pages, 3);
      assert.equal(new Set(all.map((m) => m.member_token)).size, 12);
      const last = await req<Collection<MembershipBody>>("GET", `${base}/memberships?page=3`, {
        auth: admin,
      });
      assert.equal(last.json._links.next_page, undefined);
      assert.equal(last.json._links.prev_page?.href, `${base}/memberships?page=2`);
      assert.deepEqual(last.json.pagination, {
        first_page: `${base}/memberships?page=1`,
        last_page: `${base}/memberships?page=3`,
        total_pages: 3,
        total_count: 12,
      });
      assert.equal(last.json._embedded.memberships.length, 4);
      const big = await req<Collection<MembershipBody>>("GET", `${base}/memberships?per_page=1000`, {
        auth: admin,
      });
      assert.equal(big.json._embedded.memberships.length, 12);
      assert.equal(big.json._links.next_page, undefined);
      assert.equal((await req("GET", `${base}/memberships?page=0`, { auth: admin })).status, 400);
      assert.equal((await req("GET", `${base}/memberships?per_page=abc`, { auth: admin })).status, 400);
    });

    it("gets and deletes a membership by member token; then 404", async () => {
      const u = emu.seed.mode.users[1];
      const g = await req<MembershipBody>("GET", `${base}/memberships/${u.token}`, { auth: admin });
      assert.equal(g.status, 200);
      assert.equal(g.json.member_username, u.username);
      assert.equal(g.json._links.self.href, `${base}/memberships/${u.token}`);
      const d = await req<MembershipBody>("DELETE", `${base}/memberships/${u.token}`, { auth: admin });
      assert.equal(d.status, 200);
      assert.equal(d.json.member_token, u.token);
      const again = await req<ModeError>("GET", `${base}/memberships/${u.token}`, { auth: admin });
      assert.equal(again.status, 404);
      assert.equal(again.json.id, "not_found");
      assert.equal((await req("DELETE", `${base}/memberships/${u.token}`, { auth: admin })).status, 404);
      assert.equal((await memberships()).length, 5);
    });
  });

  describe("workspace membership delete", () => {
    const del = (token: string, auth = admin) =>
      req<MembershipBody & ModeError>("DELETE", `${base}/memberships/${token}`, { auth });
    const spaceUrl = (i: number): string => `${base}/spaces/${emu.seed.mode.spaces[i]}/memberships`;
    const spaceTokens = async (i: number): Promise<string[]> =>
      (
        await collectPages<Collection<SpaceMembershipBody>, SpaceMembershipBody>(
          spaceUrl(i),
          admin,
          (p) => p._embedded.memberships,
          (p) => p._links.next_page?.href,
        )
      ).all.map((sm) => sm.member_token);

    it("refuses to remove the credentials' own membership with 400", async () => {
      const self = await membershipOf(emu.seed.mode.adminUsername);
      assert.ok(self);
      const r = await del(self.member_token);
      assert.equal(r.status, 400);
      assert.equal(r.headers.get("content-type"), "application/hal+json");
      assert.deepEqual(Object.keys(r.json).sort(), ["id", "message"]);
      assert.equal(r.json.id, "bad_request");
      assert.match(r.json.message, /API user cannot remove itself/);
      assert.equal((await membershipOf(emu.seed.mode.adminUsername))?.state, "active");
    });

    it("answers 403 to a non-admin member's credentials and removes nothing", async () => {
      // The seeded credentials belong to the admin; the control interface takes the admin flag away.
      const demoted = await setMemberAdmin(emu, ws, { username: emu.seed.mode.adminUsername }, false);
      assert.equal(demoted.admin, false);
      const target = emu.seed.mode.users[0];
      const r = await del(target.token);
      assert.equal(r.status, 403);
      assert.equal(r.json.id, "forbidden");
      assert.match(r.json.message, /Only workspace admins can remove members/);
      assert.equal((await membershipOf(target.username))?.state, "active");
      // 403 comes before the self rule: a non-admin is refused either way.
      const self = await membershipOf(emu.seed.mode.adminUsername);
      assert.equal((await del(self?.member_token ?? "")).status, 403);
      await setMemberAdmin(emu, ws, { username: emu.seed.mode.adminUsername }, true);
      assert.equal((await del(target.token)).status, 200);
    });

    it("lets a Workspace API token (admin rights, no user of its own) remove members; a second delete is 404", async () => {
      const wt = basic(emu.seed.mode.workspaceApiToken.token, emu.seed.mode.workspaceApiToken.secret);
      const self = await membershipOf(emu.seed.mode.adminUsername);
      const target = emu.seed.mode.users[2];
      const r = await del(target.token, wt);
      assert.equal(r.status, 200);
      assert.equal(r.json.member_username, target.username);
      assert.equal(r.json.state, "active");
      const again = await del(target.token, wt);
      assert.equal(again.status, 404);
      assert.equal(again.json.id, "not_found");
      assert.equal((await del(target.token)).status, 404);
      // The self rule is about a personal token's own user; a Workspace API token has none.
      assert.equal((await del(self?.member_token ?? "", wt)).status, 200);
    });

    it("revokes invited and expired invites: the link stops working, a re-invite is a fresh invite and membership", async () => {
      const expiredFirst = await invite("old@x.example");
      await control(emu, "POST", "/clock/advance", { seconds: 8 * 24 * 3600 });
      const pendingFirst = await invite("pending@x.example");
      const expired = await membershipOf("old");
      const pending = await membershipOf("pending");
      assert.equal(expired?.state, "expired");
      assert.equal(pending?.state, "invited");
      for (const [m, state] of [
        [expired, "expired"],
        [pending, "invited"],
      ] as const) {
        const r = await del(m?.member_token ?? "");
        assert.equal(r.status, 200);
        assert.equal(r.json.state, state);
        assert.equal((await del(m?.member_token ?? "")).status, 404);
      }
      assert.equal(await membershipOf("old"), undefined);
      assert.equal(await membershipOf("pending"), undefined);
      // The invite link no longer works: accepting it is impossible.
      const accept = await control(emu, "POST", "/mode/accept-invite", {
        workspace: ws,
        email: "pending@x.example",
      });
      assert.equal(accept.status, 404);

      await control(emu, "POST", "/clock/advance", { seconds: 60 });
      for (const [email, first] of [
        ["PENDING@x.example", pendingFirst.json],
        ["old@x.example", expiredFirst.json],
      ] as const) {
        const again = await invite(email);
        assert.equal(again.status, 200);
        assert.notEqual(again.json._links.self.href, first._links.self.href, "a new invite");
        assert.equal(again.json.resent_at, null, "not a resend of the revoked invite");
        assert.ok(Date.parse(again.json.created_at) > Date.parse(first.created_at));
        assert.ok(Date.parse(again.json.sent_at) > Date.parse(first.sent_at));
        assert.equal(
          Date.parse(again.json.expires_at) - Date.parse(again.json.sent_at),
          7 * 24 * 3600 * 1000,
        );
        // The person (user, token, href) is the same; the membership is a new, invited one.
        assert.equal(again.json._links.invitee.href, first._links.invitee.href);
      }
      for (const name of ["old", "pending"]) {
        const all = (await memberships()).filter((m) => m.member_username === name);
        assert.equal(all.length, 1);
        assert.equal(all[0].state, "invited");
        assert.equal(all[0].invited, true);
      }
      const accepted = await control(emu, "POST", "/mode/accept-invite", {
        workspace: ws,
        email: "pending@x.example",
      });
      assert.equal(accepted.status, 200);
      assert.equal((await membershipOf("pending"))?.state, "active");
    });

    it("removes an active or deactivated member from the workspace and from its spaces", async () => {
      const [ada, grace] = emu.seed.mode.users;
      const group = emu.seed.mode.userGroups[0];
      for (const [i, type, token] of [
        [0, "User", ada.token],
        [1, "User", ada.token],
        [0, "User", grace.token],
        [0, "UserGroup", group],
      ] as const) {
        const r = await req("POST", spaceUrl(i), {
          auth: admin,
          body: { membership: { member_type: type, member_token: token } },
        });
        assert.equal(r.status, 200);
      }
      await control(emu, "POST", "/mode/deactivate", { workspace: ws, memberToken: grace.token });
      assert.equal((await del(ada.token)).status, 200);
      const g = await del(grace.token);
      assert.equal(g.status, 200);
      assert.equal(g.json.state, "deactivated");
      assert.deepEqual(await spaceTokens(0), [group]);
      assert.deepEqual(await spaceTokens(1), []);
      assert.equal((await req("GET", `${base}/memberships/${ada.token}`, { auth: admin })).status, 404);
      // No longer a member: adding them to a space is a 404.
      const back = await req("POST", spaceUrl(0), {
        auth: admin,
        body: { membership: { member_type: "User", member_token: ada.token } },
      });
      assert.equal(back.status, 404);
    });
  });

  describe("control interface: members", () => {
    it("sets and clears admin and managed_by_scim by username (any case), email or member token", async () => {
      const ada = emu.seed.mode.users[0];
      assert.equal((await setMemberAdmin(emu, ws, { username: "ADA" }, true)).admin, true);
      assert.equal((await membershipOf("ada"))?.admin, true);
      assert.equal((await setMemberScim(emu, ws, { email: "Ada@ACME.example" }, true)).managedByScim, true);
      let m = await membershipOf("ada");
      assert.equal(m?.managed_by_scim, true);
      assert.equal(m?.admin, true);
      await setMemberAdmin(emu, ws, { memberToken: ada.token }, false);
      await setMemberScim(emu, ws, { memberToken: ada.token }, false);
      m = await membershipOf("ada");
      assert.equal(m?.admin, false);
      assert.equal(m?.managed_by_scim, false);
      // Invited members can be flagged too (an identity provider provisions before acceptance).
      await invite("new@x.example");
      assert.equal((await setMemberScim(emu, ws, { username: "new" }, true)).state, "invited");
    });

    it("answers 400/404 to bad admin and scim bodies", async () => {
      const cases: [string, Record<string, unknown>, number][] = [
        ["/mode/admin", { workspace: ws, username: "ada", admin: "yes" }, 400],
        ["/mode/admin", { workspace: ws, username: "ada" }, 400],
        ["/mode/admin", { workspace: ws, admin: true }, 400],
        ["/mode/admin", { workspace: ws, username: "ada", email: "ada@acme.example", admin: true }, 400],
        ["/mode/admin", { workspace: ws, username: "nobody", admin: true }, 404],
        ["/mode/admin", { workspace: "nope", username: "ada", admin: true }, 404],
        ["/mode/scim", { workspace: ws, memberToken: "nope", managedByScim: true }, 404],
        ["/mode/scim", { workspace: ws, username: "outsider", managedByScim: true }, 404],
        ["/mode/scim", { workspace: ws, username: "ada", managedByScim: 1 }, 400],
      ];
      for (const [path, body, status] of cases) {
        const r = await control<{ error: string }>(emu, "POST", path, body);
        assert.equal(r.status, status, `${path} ${JSON.stringify(body)}`);
        assert.equal(typeof r.json.error, "string");
      }
    });

    it("ensures an active member: creates one, reuses an existing one, activates an invited one", async () => {
      const created = await ensureMember(emu, ws, { username: "Zed" });
      assert.equal(created.existed, false);
      assert.equal(created.username, "Zed");
      assert.equal(created.email, "Zed@acme.example");
      assert.equal(created.membership.state, "active");
      assert.equal((await membershipOf("Zed"))?.state, "active");
      const again = await ensureMember(emu, ws, { username: "zed" });
      assert.equal(again.existed, true);
      assert.equal(again.token, created.token);
      assert.equal((await ensureMember(emu, ws, { email: "ZED@acme.example" })).token, created.token);
      const seeded = await ensureMember(emu, ws, { username: "ada", email: "ada@acme.example" });
      assert.equal(seeded.existed, true);
      assert.equal(seeded.token, emu.seed.mode.users[0].token);

      await invite("invitee@x.example");
      const activated = await ensureMember(emu, ws, { email: "invitee@x.example" });
      assert.equal(activated.existed, false);
      assert.equal(activated.membership.state, "active");
      assert.equal((await invite("invitee@x.example")).status, 400, "already a member");

      // Removed from the workspace: the same person becomes a member again.
      assert.equal(
        (await req("DELETE", `${base}/memberships/${created.token}`, { auth: admin })).status,
        200,
      );
      const back = await ensureMember(emu, ws, { username: "ZED" });
      assert.equal(back.existed, false);
      assert.equal(back.token, created.token);

      for (const body of [
        { username: "ADA", email: "other@acme.example" },
        { username: "grace", email: "ada@acme.example" },
        { username: "brand-new", email: "ada@acme.example" },
      ]) {
        const r = await control(emu, "POST", "/mode/users", { workspace: ws, ...body });
        assert.equal(r.status, 400, JSON.stringify(body));
      }
    });

    it("treats usernames case-insensitively: generated names skip a name taken in another case", async () => {
      await ensureMember(emu, ws, { username: "Quinn", email: "q@elsewhere.example" });
      const r = await invite("quinn@x.example");
      assert.equal(r.json._links.invitee.href, `${emu.modeApiUrl}/quinn2`);
    });
  });

  describe("space memberships", () => {
    const spaceUrl = (i = 0): string => `${base}/spaces/${emu.seed.mode.spaces[i]}/memberships`;
    const add = (type: unknown, token: unknown, i = 0) =>
      req<SpaceMembershipBody & ModeError>("POST", spaceUrl(i), {
        auth: admin,
        body: { membership: { member_type: type, member_token: token } },
      });

    it("creates, gets, lists and deletes user and group memberships with a Deprecation header", async () => {
      const user = emu.seed.mode.users[0];
      const c = await add("User", user.token);
      assert.equal(c.status, 200);
      assert.equal(c.json.member_type, "User");
      assert.equal(c.json.member_token, user.token);
      assert.equal(c.json.email, user.email);
      assert.equal(typeof c.json.member_id, "number");
      assert.match(c.json.token, /^[0-9a-f]{12}$/);
      assert.equal(c.json._links.self.href, `${spaceUrl()}/${c.json.token}`);
      assert.equal(c.json._links.member.href, `${emu.modeApiUrl}/${user.username}`);
      assert.equal(c.json._links.creator.href, `${emu.modeApiUrl}/admin`);
      const g = await add("UserGroup", emu.seed.mode.userGroups[0]);
      assert.equal(g.status, 200);
      assert.equal(g.json.email, null);
      const one = await req<SpaceMembershipBody>("GET", c.json._links.self.href, { auth: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json, c.json);
      const list = await req<Collection<SpaceMembershipBody>>("GET", spaceUrl(), { auth: admin });
      assert.deepEqual(
        list.json._embedded.memberships.map((m) => m.token),
        [c.json.token, g.json.token],
      );
      for (const r of [c, g, one, list]) {
        assert.equal(r.headers.get("deprecation"), "@1759190400");
        assert.ok(r.headers.get("sunset"));
        assert.match(r.headers.get("link") ?? "", /^<http:\/\/.+>; rel="deprecation"$/);
      }
      const doc = await req("GET", /<([^>]+)>/.exec(c.headers.get("link") ?? "")?.[1] ?? "");
      assert.equal(doc.status, 200);
      assert.match(doc.text, /deprecated/);
      const d = await req<SpaceMembershipBody>("DELETE", c.json._links.self.href, { auth: admin });
      assert.equal(d.status, 200);
      assert.equal(d.json.token, c.json.token);
      const d2 = await req<ModeError>("DELETE", c.json._links.self.href, { auth: admin });
      assert.equal(d2.status, 404);
      assert.equal(d2.headers.get("deprecation"), "@1759190400");
      assert.equal((await req("GET", c.json._links.self.href, { auth: admin })).status, 404);
    });

    it("answers 400/404 for bad member types, unknown members, duplicates and unknown spaces", async () => {
      const user = emu.seed.mode.users[0];
      assert.equal((await add("Admin", user.token)).status, 400);
      assert.equal((await add(undefined, user.token)).status, 400);
      assert.equal((await add("User", undefined)).status, 400);
      const unknown = await add("User", "ffffffffffff");
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.id, "not_found");
      assert.equal((await add("UserGroup", user.token)).status, 404);
      assert.equal((await add("User", emu.seed.mode.userGroups[0])).status, 404);
      const outsider = await add("User", emu.seed.mode.noAccess.token);
      assert.equal(outsider.status, 404);
      assert.equal((await add("User", user.token)).status, 200);
      const dup = await add("User", user.token);
      assert.equal(dup.status, 400);
      assert.match(dup.json.message, /already a member/);
      assert.equal((await add("User", user.token, 1)).status, 200, "another space is fine");
      const noSpace = await req<ModeError>("GET", `${base}/spaces/nospace/memberships`, { auth: admin });
      assert.equal(noSpace.status, 404);
      assert.equal(noSpace.headers.get("deprecation"), "@1759190400");
      const e401 = await req("GET", spaceUrl());
      assert.equal(e401.status, 401);
      assert.equal(e401.headers.get("deprecation"), "@1759190400");
      assert.equal(
        (await req("GET", `${emu.modeApiUrl}/nobody/spaces/x/memberships`, { auth: admin })).status,
        404,
      );
    });

    it("paginates space memberships over 3 pages", async () => {
      const tokens: string[] = [];
      for (let i = 0; i < 9; i++) {
        const u = await control<{ token: string }>(emu, "POST", "/mode/users", {
          workspace: ws,
          username: `s${i}`,
        });
        tokens.push(u.json.token);
        assert.equal((await add("User", u.json.token)).status, 200);
      }
      const { all, pages } = await collectPages<Collection<SpaceMembershipBody>, SpaceMembershipBody>(
        spaceUrl(),
        admin,
        (p) => p._embedded.memberships,
        (p) => p._links.next_page?.href,
      );
      assert.equal(pages, 3);
      assert.deepEqual(
        all.map((m) => m.member_token),
        tokens,
      );
    });
  });

  describe("HTTP rules", () => {
    it("answers 415 for a wrong content type, 400 for malformed JSON, 413 over 1 MB", async () => {
      const body = JSON.stringify({ invite: { invitee: { email: "ct@x.example" }, message: "m" } });
      const r415 = await req<ModeError>("POST", `${base}/invites`, {
        auth: admin,
        body,
        contentType: "text/plain",
      });
      assert.equal(r415.status, 415);
      assert.equal(r415.headers.get("content-type"), "application/hal+json");
      assert.equal(r415.json.id, "bad_request"); // the published enum has no id of its own for 415
      const r400 = await req<ModeError>("POST", `${base}/invites`, { auth: admin, body: "{not json" });
      assert.equal(r400.status, 400);
      assert.match(r400.json.message, /not valid JSON/);
      const big = JSON.stringify({
        invite: { invitee: { email: "big@x.example" }, message: "x".repeat(1100000) },
      });
      const r413 = await req<ModeError>("POST", `${base}/invites`, { auth: admin, body: big });
      assert.equal(r413.status, 413);
      assert.equal(r413.json.id, "payload_too_large");
      const ok = await req("POST", `${base}/invites`, {
        auth: admin,
        body,
        contentType: "application/json; charset=utf-8",
      });
      assert.equal(ok.status, 200);
    });

    it("answers 405 with Allow for a known path and 404 for unknown routes", async () => {
      const r = await req<ModeError>("PUT", `${base}/memberships`, { auth: admin });
      assert.equal(r.status, 405);
      assert.equal(r.headers.get("allow"), "GET");
      assert.equal(r.json.id, "bad_request"); // the published enum has no id of its own for 405
      const n = await req<ModeError>("GET", `${base}/nothing-here`, { auth: admin });
      assert.equal(n.status, 404);
      assert.equal(n.headers.get("content-type"), "application/hal+json");
      assert.equal((await req("GET", `${emu.url}/elsewhere`)).status, 404);
    });

    it("decodes each segment once; %2F, ..%2F, ? and # inside a segment never change the route", async () => {
      const u = emu.seed.mode.users[0].token;
      const headers = { Authorization: admin };
      const cases = [
        `/mode/api/${ws}/memberships/${u}%2F..%2F..%2Fmemberships`,
        `/mode/api/${ws}/memberships/..%2F${u}`,
        `/mode/api/${ws}%2Fmemberships/${u}`,
        `/mode/api/${ws}/memberships/%2E%2E`,
        `/mode/api/${ws}/memberships/${u}%3Fpage%3D1`,
        `/mode/api/${ws}/memberships/${u}%23x`,
        `/mode/api/${ws}/memberships/%25${u}`,
        `/mode/api/${ws}/memberships/${u}%2F`,
      ];
      for (const path of cases) {
        const r = await rawRequest(emu.url, "GET", path, headers);
        assert.equal(r.status, 404, path);
        assert.equal((JSON.parse(r.body) as ModeError).id, "not_found", path);
      }
      const del = await rawRequest(emu.url, "DELETE", `/mode/api/${ws}/memberships/${u}%2F..`, headers);
      assert.equal(del.status, 404);
      assert.equal((await memberships()).length, 6, "nothing was deleted");
      const good = await rawRequest(emu.url, "GET", `/mode/api/${ws}/memberships/${u}`, headers);
      assert.equal(good.status, 200);
    });
  });
});
