/**
 * Every listing reads every page of Mode's API as Mode publishes it (issue 15), proven against a
 * stand-in server that is NOT the emulator: a few dozen lines below serving lists shaped as Mode's
 * published OpenAPI description shapes them — `_links.next_page` only (never `next`), root-relative
 * hrefs, string ids, a `pagination` object — with 137 members at 50 a page, for workspace memberships
 * and space memberships. Through the clients, the read functions and the real provider code
 * (`resourceProvider(kind)` with a ProviderContext configured at the stand-in), and every way a
 * listing can go wrong failing loudly.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, ModeClient } from "../../provider/client";
import { resourceProvider } from "../../provider";
import { ProviderContext, setProviderContext } from "../../provider/context";
import { getSpaceMemberships, getWorkspaceMemberships } from "../../sdk";
import { collect, rejection } from "../support/client-helpers";

/** Credentials no message can contain by chance (clients register them as secrets, process-wide). */
const TOKEN = "pagesTestToken4f1c";
const SECRET = "pagesTestSecret9b2e";

// ---- the stand-in server -------------------------------------------------------------------------

/** How the stand-in misbehaves (all off: it serves pages exactly as published). */
interface Faults {
  /** total_count says this many more than it serves. */
  truncatedBy?: number;
  /** Page 3's next_page links back to page 2. */
  loop?: boolean;
  /** Page 2's next_page points at another origin. */
  otherOrigin?: boolean;
  /** Page 2 comes with `_embedded: {}`. */
  emptyEmbedded?: boolean;
  /** POST invites answers without `_links.invitee` (optional in the published InviteLinks). */
  inviteWithoutInvitee?: boolean;
}

type Member = { username: string; token: string; id: string; admin: boolean; state: string };

const PER_PAGE = 50;
const user = (n: number): Member => {
  const nnn = String(n).padStart(3, "0");
  return { username: `m${nnn}`, token: `t${nnn}`, id: String(1000 + n), admin: n === 1, state: "active" };
};

class StandIn {
  /** `http://127.0.0.1:PORT/api` */
  apiUrl = "";
  members: Member[] = Array.from({ length: 137 }, (_, i) => user(i + 1));
  /** Space `s1`: every workspace member, as a space membership token `sm{n}`. */
  space: { token: string; member: Member }[] = this.members.map((m) => ({ token: `s${m.token}`, member: m }));
  faults: Faults = {};
  /** Every request, `METHOD /path?query`. */
  requests: string[] = [];
  private readonly server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      this.requests.push(`${req.method} ${req.url}`);
      const [status, json] = req.headers.authorization
        ? this.answer(req.method ?? "", req.url ?? "", body)
        : [401, { id: "unauthorized", message: "Unauthorized" }];
      res.writeHead(status, { "Content-Type": "application/hal+json" }).end(JSON.stringify(json));
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.apiUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
    return this;
  }
  close = (): Promise<void> =>
    new Promise((resolve) => (this.server.closeAllConnections(), this.server.close(() => resolve())));
  count = (prefix: string): number => this.requests.filter((r) => r.startsWith(prefix)).length;

  private answer(method: string, url: string, body: string): [number, unknown] {
    const u = new URL(url, "http://x");
    const at = `${method} ${u.pathname}`;
    const page = Number(u.searchParams.get("page") ?? "1");
    const find = (token: string) => this.members.find((m) => m.token === token);
    let m: RegExpExecArray | null;
    if (at === "GET /api/acme/memberships")
      return [200, this.list(u.pathname, page, this.members.map(membership))];
    if ((m = /^GET \/api\/acme\/spaces\/s1\/memberships$/.exec(at)))
      return [200, this.list(u.pathname, page, this.space.map(spaceMembership))];
    if ((m = /^(GET|DELETE) \/api\/acme\/memberships\/(\w+)$/.exec(at))) {
      const found = find(m[2]);
      if (!found) return [404, { id: "not_found", message: "Membership not found" }];
      if (m[1] === "DELETE") this.members = this.members.filter((x) => x !== found);
      return [200, membership(found)];
    }
    if (at === "POST /api/acme/invites") {
      const { email } = (JSON.parse(body) as { invite: { invitee: { email: string } } }).invite.invitee;
      const n: Member = { ...user(this.members.length + 1), username: email.split("@")[0], state: "invited" };
      this.members.push(n);
      return [200, invite(email, n, this.faults.inviteWithoutInvitee === true)];
    }
    if (at === "POST /api/acme/spaces/s1/memberships") {
      const token = (JSON.parse(body) as { membership: { member_token: string } }).membership.member_token;
      if (this.space.some((s) => s.member.token === token))
        return [400, { id: "bad_request", message: "Already a member" }];
      const added = { token: `s${token}`, member: { ...user(0), token, id: "1" } };
      this.space.push(added);
      return [200, spaceMembership(added)];
    }
    if ((m = /^DELETE \/api\/acme\/spaces\/s1\/memberships\/(\w+)$/.exec(at))) {
      const found = this.space.find((s) => s.token === m?.[1]);
      if (!found) return [404, { id: "not_found", message: "Space membership not found" }];
      this.space = this.space.filter((s) => s !== found);
      return [200, spaceMembership(found)];
    }
    return [404, { id: "not_found", message: "No such endpoint" }];
  }

  /** A page as published: next_page (root-relative) only, a pagination object, items under `memberships`. */
  private list(path: string, page: number, all: unknown[]): unknown {
    const href = (n: number) => ({ href: `${path}?page=${n}` });
    const pages = Math.max(1, Math.ceil(all.length / PER_PAGE));
    const links: Record<string, unknown> = { self: href(page) };
    if (page < pages) links.next_page = href(page + 1);
    if (page > 1) links.prev_page = href(page - 1);
    if (this.faults.loop && page === 3) links.next_page = href(2);
    if (this.faults.otherOrigin && page === 2)
      links.next_page = { href: `https://mode.example.com${path}?page=3` };
    const items = all.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    return {
      pagination: {
        first_page: `${path}?page=1`,
        last_page: `${path}?page=${pages}`,
        total_pages: pages,
        total_count: all.length + (this.faults.truncatedBy ?? 0),
      },
      _links: links,
      _embedded: this.faults.emptyEmbedded && page === 2 ? {} : { memberships: items },
    };
  }
}

const link = (href: string) => ({ href, templated: false });
const membership = (m: Member) => ({
  admin: m.admin,
  invited: m.state === "invited",
  state: m.state,
  member_username: m.username,
  member_token: m.token,
  activated_at: m.state === "active" ? "2026-01-05T09:00:00.000Z" : null,
  managed_by_scim: false,
  _links: {
    self: link(`/api/acme/memberships/${m.token}`),
    user: link(`/api/${m.username}`),
    organization: link("/api/acme"),
    web_self: link(`/organizations/acme/memberships/${m.token}`),
    groups: link(`/api/acme/memberships/${m.token}/groups`),
  },
  _embedded: {},
});
const spaceMembership = (s: { token: string; member: Member }) => ({
  token: s.token,
  member_token: s.member.token,
  member_type: "User",
  member_id: s.member.id,
  email: `${s.member.username}@acme.example`,
  _links: {
    self: link(`/api/acme/spaces/s1/memberships/${s.token}`),
    member: link(`/api/${s.member.username}`),
  },
  _embedded: {},
});
const invite = (email: string, m: Member, withoutInvitee: boolean) => ({
  email,
  message: "hi",
  inviter_id: "1001",
  invitee_id: m.id,
  organization_id: "1",
  limited: "false",
  sent_at: "2026-01-05T09:00:00.000Z",
  resent_at: null,
  clicked_at: null,
  accepted_at: null,
  expires_at: "2026-01-12T09:00:00.000Z",
  created_at: "2026-01-05T09:00:00.000Z",
  _links: {
    inviter: link("/api/m001"),
    ...(withoutInvitee ? {} : { invitee: link(`/api/${m.username}`) }),
    web_self_resend: link("/organizations/acme/invites/9/resend"),
  },
  _embedded: {},
});

// ---- the tests -----------------------------------------------------------------------------------

describe("listings read every page, as Mode publishes them (stand-in server, not the emulator)", function () {
  this.timeout(30_000);
  let stand: StandIn;
  const warnings: string[] = [];
  const client = () =>
    new ModeClient({ apiUrl: stand.apiUrl, token: TOKEN, secret: SECRET, retry: { retries: 0 } });
  /** A new provider process's context, configured at the stand-in. */
  function freshProvider(): void {
    const context = new ProviderContext({ warn: (message) => warnings.push(message) });
    const config: Record<string, string> = {
      "mode:apiUrl": stand.apiUrl,
      "mode:apiToken": TOKEN,
      "mode:apiSecret": SECRET,
    };
    context.configure((key) => config[key], {});
    setProviderContext(context);
  }

  beforeEach(async () => {
    stand = await new StandIn().start();
    warnings.length = 0;
    freshProvider();
  });
  afterEach(async () => {
    setProviderContext(undefined);
    await stand.close();
  });

  describe("clients and read functions", () => {
    it("the clients read all 137 workspace members and all 137 space members, 3 pages each", async () => {
      const members = await collect(client().listMemberships("acme"));
      assert.equal(members.length, 137);
      assert.equal(new Set(members.map((m) => m.member_token)).size, 137);
      const space = await collect(client().listSpaceMemberships("acme", "s1"));
      assert.equal(space.length, 137);
      assert.equal(space[136].member_id, "1137"); // string ids, as published
      assert.deepEqual(stand.requests, [
        "GET /api/acme/memberships",
        "GET /api/acme/memberships?page=2",
        "GET /api/acme/memberships?page=3",
        "GET /api/acme/spaces/s1/memberships",
        "GET /api/acme/spaces/s1/memberships?page=2",
        "GET /api/acme/spaces/s1/memberships?page=3",
      ]);
    });

    it("getWorkspaceMemberships and getSpaceMemberships read all 137", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, {
        MODE_API_URL: stand.apiUrl,
        MODE_API_TOKEN: TOKEN,
        MODE_API_SECRET: SECRET,
      });
      try {
        const ws = await getWorkspaceMemberships({ workspace: "acme" });
        assert.equal(ws.memberships.length, 137);
        assert.equal(ws.memberships[136].memberUsername, "m137");
        const sp = await getSpaceMemberships({ account: "acme", space: "s1" });
        assert.equal(sp.memberships.length, 137);
        assert.equal(sp.memberships[136].memberId, "1137");
      } finally {
        process.env = saved;
      }
    });

    it("the client accepts an invite without _links.invitee (the switch the resource tests use)", async () => {
      stand.faults.inviteWithoutInvitee = true;
      const inv = await client().createInvite("acme", { email: "quiet@acme.example", message: "hi" });
      assert.equal(inv._links.invitee, undefined);
      assert.equal(inv.invitee_id, "1138");
    });
  });

  describe("resources through the real provider code", () => {
    it("WorkspaceInvite whose member is on page 3: no drift, and delete sends its DELETE to that member", async () => {
      const provider = resourceProvider("WorkspaceInvite");
      const inputs = { workspace: "acme", email: "zed@acme.example", message: "hi" };
      const created = await provider.create(inputs);
      assert.equal(created.outs.memberUsername, "zed");
      assert.equal(
        stand.members.findIndex((m) => m.username === "zed"),
        137,
      ); // page 3
      freshProvider(); // a later run
      assert.equal((await provider.diff(created.id, created.outs, inputs)).changes, false);
      assert.deepEqual(warnings, []);
      freshProvider();
      stand.requests.length = 0;
      await provider.delete(created.id, created.outs);
      assert.deepEqual(
        stand.requests.filter((r) => r.startsWith("DELETE")),
        ["DELETE /api/acme/memberships/t138"],
      );
      assert.equal(
        stand.members.some((m) => m.username === "zed"),
        false,
      );
    });

    it("WorkspaceMembers over 3 pages: no false missing; removes the one undeclared member, on page 3", async () => {
      const provider = resourceProvider("WorkspaceMembers");
      const usernames = stand.members.map((m) => m.username).filter((u) => u !== "m130");
      const inputs = { workspace: "acme", usernames };
      const created = await provider.create(inputs);
      assert.deepEqual(created.outs.missing, []);
      assert.deepEqual(created.outs.removed, [{ username: "m130", memberToken: "t130", state: "active" }]);
      assert.deepEqual(
        stand.requests.filter((r) => r.startsWith("DELETE")),
        ["DELETE /api/acme/memberships/t130"],
      );
      assert.equal((created.outs.members as unknown[]).length, 136);
      assert.deepEqual(warnings.splice(0), [
        "mode:WorkspaceMembers workspace acme: 1 member is not in the program — up removes m130",
      ]);
      freshProvider();
      const clean = await provider.diff(created.id, created.outs, inputs);
      assert.equal(clean.changes, false);
      assert.deepEqual(warnings, [], "nobody reported missing or kept besides the admin");
    });

    it("SpaceMembers: no POST for the members already there (page 2 among them), one for the new one", async () => {
      const provider = resourceProvider("SpaceMembers");
      const users = [...stand.members.map((m) => m.token), "t999"];
      const created = await provider.create({ account: "acme", space: "s1", users });
      assert.deepEqual(
        stand.requests.filter((r) => !r.startsWith("GET")),
        ["POST /api/acme/spaces/s1/memberships"],
      );
      assert.deepEqual(created.outs.added, [
        { memberType: "User", memberToken: "t999", email: "m000@acme.example" },
      ]);
      assert.equal((created.outs.memberships as unknown[]).length, 138);
    });
  });

  describe("a listing that cannot be the whole fails loudly, and nothing acts on it", () => {
    it("truncated: total_count says more than served — read twice, then an error; WorkspaceMembers removes nobody", async () => {
      stand.faults.truncatedBy = 3;
      const err = await rejection(collect(client().listMemberships("acme")));
      assert.ok(err instanceof ApiError && err.kind === "invalid_response");
      assert.match(
        err.message,
        /^Mode API: GET \/acme\/memberships failed: the listing was read twice and still came up short \(137 of 140 memberships\): the last page, page 3 \(\/acme\/memberships\?page=3\), has no next link\. Nothing was decided from a partial listing/,
      );
      assert.equal(stand.count("GET /api/acme/memberships"), 6, "two readings of three pages");
      stand.requests.length = 0;
      const provider = resourceProvider("WorkspaceMembers");
      const shrunk = { workspace: "acme", usernames: ["m001"] };
      await assert.rejects(
        provider.create(shrunk),
        /read twice and still came up short \(137 of 140 memberships\)/,
      );
      assert.equal(stand.count("DELETE"), 0);
      const spaceErr = await rejection(collect(client().listSpaceMemberships("acme", "s1")));
      assert.match(String(spaceErr), /came up short \(137 of 140 space memberships\)/);
    });

    it("a loop: page 3 links back to page 2", async () => {
      stand.faults.loop = true;
      const err = await rejection(collect(client().listMemberships("acme")));
      assert.ok(err instanceof ApiError && err.kind === "invalid_response");
      assert.match(
        err.message,
        /GET \/acme\/memberships\?page=2 failed: pagination loop: page 3 links back to page 2 \(\/acme\/memberships\?page=2\); refusing to read it again/,
      );
      assert.equal(stand.requests.length, 3);
    });

    it("another origin: page 2 links to another host, which never gets a request", async () => {
      stand.faults.otherOrigin = true;
      const err = await rejection(collect(client().listSpaceMemberships("acme", "s1")));
      assert.ok(err instanceof ApiError && err.kind === "invalid_response");
      assert.match(
        err.message,
        /GET \/acme\/spaces\/s1\/memberships\?page=2 failed: next link points to another origin \(https:\/\/mode\.example\.com\); refusing to send credentials there/,
      );
      assert.equal(stand.requests.length, 2);
    });

    it("_embedded: {} on page 2 while items remain — read twice, then an error; the WorkspaceInvite diff fails instead of reporting drift", async () => {
      stand.faults.emptyEmbedded = true;
      const err = await rejection(collect(client().listMemberships("acme")));
      assert.ok(err instanceof ApiError && err.kind === "invalid_response");
      assert.match(
        err.message,
        /read twice and still came up short \(50 of 137 memberships\): page 2 \(\/acme\/memberships\?page=2\) has no list under _embedded while 87 of 137 remain/,
      );
      assert.deepEqual(stand.requests, [
        "GET /api/acme/memberships",
        "GET /api/acme/memberships?page=2",
        "GET /api/acme/memberships",
        "GET /api/acme/memberships?page=2",
      ]);
      const provider = resourceProvider("WorkspaceInvite");
      const olds = { workspace: "acme", email: "m120@acme.example", message: "hi", memberUsername: "m120" };
      await assert.rejects(provider.diff("acme/m120", olds, olds), /has no list under _embedded/);
      assert.deepEqual(warnings, []);
    });
  });
});
