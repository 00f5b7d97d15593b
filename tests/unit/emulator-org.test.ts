/**
 * Emulator integration tests, organization-invites API (JSON:API): auth, create/get/list/delete/accept,
 * the accepted_at quirk, duplicates, cancellation, pagination and media types.
 */
import { strict as assert } from "node:assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import {
  OrgErrors,
  OrgInvite,
  OrgList,
  bearer,
  collectPages,
  control,
  req,
} from "../../testing/emulator-control";

const JSON_API = "application/vnd.api+json";

describe("emulator: organization-invites API", () => {
  let emu: RunningEmulator;
  let auth: string;
  let invites: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    auth = bearer(emu.seed.org.token);
    invites = `${emu.orgApiUrl}/api/v2/organizations/${emu.seed.org.organizationId}/invites`;
  });
  after(() => emu.close());
  beforeEach(async () => {
    await control(emu, "POST", "/reset");
  });

  const doc = (attributes: Record<string, unknown>, type = "organization_invites") => ({
    data: { type, attributes },
  });
  const create = (attributes: Record<string, unknown>, o: { contentType?: string; auth?: string } = {}) =>
    req<{ data: OrgInvite } & OrgErrors>("POST", invites, {
      auth: o.auth ?? auth,
      body: doc(attributes),
      contentType: o.contentType ?? JSON_API,
    });
  const accept = (id: string, code: unknown) =>
    req<{ data: OrgInvite } & OrgErrors>("PUT", `${invites}/${id}/accept`, {
      auth,
      body: doc({ code }),
      contentType: JSON_API,
    });

  it("creates (201, accepted_at null) then reads with the -4712 sentinel", async () => {
    const c = await create({
      recipient_email: "4oswaldo@steuber-greenfelder.info",
      invite_user_as: "admin",
      updated_in_db_at: "2021-11-23 14:38:02 UTC",
    });
    assert.equal(c.status, 201);
    assert.equal(c.headers.get("content-type"), "application/vnd.api+json; charset=utf-8");
    const inv = c.json.data;
    assert.equal(inv.type, "organization_invites");
    assert.match(inv.id, /^[0-9a-f-]{36}$/);
    assert.equal(inv.attributes.accepted_at, null);
    assert.match(inv.attributes.code, /^[0-9a-f]{64}$/);
    assert.equal(inv.attributes.invite_user_as, "admin");
    assert.equal(inv.attributes.updated_in_db_at, "2021-11-23T14:38:02Z");
    assert.match(inv.attributes.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(inv.relationships.accepted_by_user.data, null);
    assert.equal(inv.relationships.cancelled_by_user.data, null);
    assert.equal(inv.relationships.invited_by_user.data?.type, "users");

    const g = await req<{ data: OrgInvite }>("GET", `${invites}/${inv.id}`, { auth });
    assert.equal(g.status, 200);
    assert.equal(g.json.data.attributes.accepted_at, "-4712-01-01T00:00:00Z");
    assert.equal(g.json.data.attributes.code, inv.attributes.code);
    const l = await req<OrgList>("GET", invites, { auth });
    assert.equal(l.json.data[0].attributes.accepted_at, "-4712-01-01T00:00:00Z");
    const plain = await create({ recipient_email: "plain@x.example" }, { contentType: "application/json" });
    assert.equal(plain.status, 201, "application/json is accepted leniently");
    assert.equal(plain.json.data.attributes.invite_user_as, null);
  });

  it("answers 401, 403 and 404 by the token and ids", async () => {
    const none = await req<OrgErrors>("GET", invites);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("content-type"), "application/vnd.api+json; charset=utf-8");
    assert.equal(none.json.errors[0].status, "401");
    assert.equal((await req("GET", invites, { auth: bearer("wrong") })).status, 401);
    assert.equal((await req("GET", invites, { auth: `Basic ${emu.seed.org.token}` })).status, 401);
    const other = `${emu.orgApiUrl}/api/v2/organizations/${emu.seed.org.otherOrganizationId}/invites`;
    const f = await req<OrgErrors>("GET", other, { auth });
    assert.equal(f.status, 403);
    assert.equal(f.json.errors[0].title, "Forbidden");
    assert.equal((await req("GET", other, { auth: bearer(emu.seed.org.otherToken) })).status, 200);
    const unknownOrg = `${emu.orgApiUrl}/api/v2/organizations/00000000-0000-4000-a000-000000000000/invites`;
    assert.equal((await req("GET", unknownOrg, { auth })).status, 404);
    const nf = await req<OrgErrors>("GET", `${invites}/00000000-0000-4000-a000-000000000000`, { auth });
    assert.equal(nf.status, 404);
    assert.equal(nf.json.errors[0].status, "404");
  });

  it("validates with 422 and a source pointer", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ recipient_email: "nope" }, "/data/attributes/recipient_email"],
      [{}, "/data/attributes/recipient_email"],
      [{ recipient_email: "a@b.example", invite_user_as: "owner" }, "/data/attributes/invite_user_as"],
      [
        { recipient_email: "a@b.example", updated_in_db_at: "yesterday" },
        "/data/attributes/updated_in_db_at",
      ],
    ];
    for (const [attrs, pointer] of cases) {
      const r = await create(attrs);
      assert.equal(r.status, 422, JSON.stringify(attrs));
      assert.equal(r.json.errors[0].status, "422");
      assert.equal(r.json.errors[0].source?.pointer, pointer);
      assert.ok(r.json.errors[0].detail.length > 10);
    }
    const wrongType = await req<OrgErrors>("POST", invites, {
      auth,
      body: doc({ recipient_email: "a@b.example" }, "invites"),
      contentType: JSON_API,
    });
    assert.equal(wrongType.status, 422);
    assert.equal(wrongType.json.errors[0].source?.pointer, "/data/type");
    const noData = await req<OrgErrors>("POST", invites, { auth, body: { foo: 1 }, contentType: JSON_API });
    assert.equal(noData.status, 422);
    assert.equal(noData.json.errors[0].source?.pointer, "/data");
    const bad = await req<OrgErrors>("POST", invites, { auth, body: "{oops", contentType: JSON_API });
    assert.equal(bad.status, 400);
    const wrongMedia = await req<OrgErrors>("POST", invites, {
      auth,
      body: doc({ recipient_email: "a@b.example" }),
      contentType: "text/plain",
    });
    assert.equal(wrongMedia.status, 415);
    assert.equal(wrongMedia.json.errors[0].status, "415");
    const big = await req<OrgErrors>("POST", invites, {
      auth,
      body: doc({ recipient_email: "a@b.example", pad: "x".repeat(1024 * 1024) }),
      contentType: JSON_API,
    });
    assert.equal(big.status, 413);
    const state = await control<{ orgInvites: unknown[] }>(emu, "GET", "/state");
    assert.equal(state.json.orgInvites.length, 0, "nothing was created by refused requests");
  });

  it("refuses a second pending invite for the same email (case-insensitive) but not across orgs", async () => {
    assert.equal((await create({ recipient_email: "Dup@x.example" })).status, 201);
    const dup = await create({ recipient_email: "dup@X.example" });
    assert.equal(dup.status, 422);
    assert.equal(dup.json.errors[0].source?.pointer, "/data/attributes/recipient_email");
    assert.match(dup.json.errors[0].detail, /pending invite/);
    const other = `${emu.orgApiUrl}/api/v2/organizations/${emu.seed.org.otherOrganizationId}/invites`;
    const r = await req("POST", other, {
      auth: bearer(emu.seed.org.otherToken),
      body: doc({ recipient_email: "dup@x.example" }),
      contentType: JSON_API,
    });
    assert.equal(r.status, 201);
  });

  it("accepts with the code: wrong code 422, accepted 200, twice 422, then a new invite is allowed", async () => {
    const c = await create({ recipient_email: "acc@x.example", invite_user_as: "admin" });
    const { id, attributes } = c.json.data;
    const wrong = await accept(id, "0".repeat(64));
    assert.equal(wrong.status, 422);
    assert.equal(wrong.json.errors[0].source?.pointer, "/data/attributes/code");
    const ok = await accept(id, attributes.code);
    assert.equal(ok.status, 200);
    assert.match(ok.json.data.attributes.accepted_at ?? "", /^\d{4}-.*Z$/);
    assert.notEqual(ok.json.data.attributes.accepted_at, "-4712-01-01T00:00:00Z");
    assert.match(ok.json.data.relationships.accepted_by_user.data?.id ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(ok.json.data.relationships.accepted_by_user.data?.type, "users");
    const twice = await accept(id, attributes.code);
    assert.equal(twice.status, 422);
    assert.match(twice.json.errors[0].detail, /already accepted/);
    const g = await req<{ data: OrgInvite }>("GET", `${invites}/${id}`, { auth });
    assert.equal(g.json.data.attributes.accepted_at, ok.json.data.attributes.accepted_at);
    assert.equal((await create({ recipient_email: "acc@x.example" })).status, 201);
    assert.equal((await accept("00000000-0000-4000-a000-000000000000", attributes.code)).status, 404);
  });

  it("keeps a UI-cancelled invite readable with cancelled_by_user, no longer pending", async () => {
    const c = await create({ recipient_email: "cancel@x.example" });
    const id = c.json.data.id;
    const r = await control(emu, "POST", "/org/cancel-invite", {
      organizationId: emu.seed.org.organizationId,
      inviteId: id,
    });
    assert.equal(r.status, 200);
    const g = await req<{ data: OrgInvite }>("GET", `${invites}/${id}`, { auth });
    assert.equal(g.status, 200);
    assert.equal(g.json.data.relationships.cancelled_by_user.data?.type, "users");
    assert.equal((await accept(id, c.json.data.attributes.code)).status, 422);
    assert.equal((await create({ recipient_email: "cancel@x.example" })).status, 201, "not pending any more");
    const missing = await control(emu, "POST", "/org/cancel-invite", {
      organizationId: emu.seed.org.organizationId,
      inviteId: "nope",
    });
    assert.equal(missing.status, 404);
  });

  it("deletes with 204 and then answers 404", async () => {
    const c = await create({ recipient_email: "del@x.example" });
    const url = `${invites}/${c.json.data.id}`;
    const d = await req("DELETE", url, { auth });
    assert.equal(d.status, 204);
    assert.equal(d.text, "");
    assert.equal((await req("GET", url, { auth })).status, 404);
    assert.equal((await req("DELETE", url, { auth })).status, 404);
    const m = await req<OrgErrors>("PATCH", url, { auth });
    assert.equal(m.status, 405);
    assert.equal(m.json.errors[0].status, "405");
  });

  it("paginates over 3+ pages with links.next, filters admins and clamps per_page to 100", async () => {
    const emails: string[] = [];
    for (let i = 0; i < 25; i++) {
      const email = `page${i}@x.example`;
      emails.push(email);
      assert.equal(
        (await create({ recipient_email: email, invite_user_as: i % 5 === 0 ? "admin" : null })).status,
        201,
      );
    }
    const { all, pages } = await collectPages<OrgList, OrgInvite>(
      `${invites}?per_page=10`,
      auth,
      (p) => p.data,
      (p) => p.links.next,
    );
    assert.equal(pages, 3);
    assert.deepEqual(
      all.map((i) => i.attributes.recipient_email),
      emails,
    );
    const p3 = await req<OrgList>("GET", `${invites}?page=3&per_page=10`, { auth });
    assert.deepEqual(p3.json.meta.pagination, { page: 3, per_page: 10, total_count: 25, total_pages: 3 });
    assert.equal(p3.json.links.next, undefined);
    assert.equal(p3.json.meta.sort, null);
    const def = await req<OrgList>("GET", invites, { auth });
    assert.equal(def.json.meta.pagination.per_page, 25);
    assert.equal(def.json.data.length, 25);
    assert.equal(def.json.links.next, undefined);
    const clamp = await req<OrgList>("GET", `${invites}?per_page=500`, { auth });
    assert.equal(clamp.json.meta.pagination.per_page, 100);
    const admins = await req<OrgList>("GET", `${invites}?filter[invite_user_as]=admin`, { auth });
    assert.equal(admins.json.data.length, 5);
    assert.deepEqual(admins.json.meta.filter, { invite_user_as: "admin" });
    assert.ok(admins.json.data.every((i) => i.attributes.invite_user_as === "admin"));
    const badFilter = await req<OrgErrors>("GET", `${invites}?filter[invite_user_as]=owner`, { auth });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.json.errors[0].source?.parameter, "filter[invite_user_as]");
    assert.equal((await req("GET", `${invites}?page=-1`, { auth })).status, 400);
  });
});
