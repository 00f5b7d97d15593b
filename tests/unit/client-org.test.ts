import assert from "assert";
import { credentialsHint } from "../../provider/settings";
import { ApiError, OrgClient, isNotFound, isOrgInviteAccepted, type OrgInvite } from "../../provider/client";
import { collect, orgInvite, rejection, startScript, type ScriptServer } from "../support/client-helpers";

const ORG = "8646b67b-9a28-4de7-bd0e-27adacc99e45";

describe("OrgClient (scripted server)", () => {
  let srv: ScriptServer;
  let c: OrgClient;
  beforeEach(async () => {
    srv = await startScript();
    c = new OrgClient({
      apiUrl: `${srv.origin}/org`,
      token: "orgtoken789",
      retry: { retries: 0 },
      credentialsHint: credentialsHint("org"),
    });
  });
  afterEach(async () => {
    await srv.close();
  });

  const jsonApi = { "Content-Type": "application/vnd.api+json; charset=utf-8" };

  it("creates an invite (201) with Bearer auth and JSON:API media types", async () => {
    srv.handle(() => ({
      status: 201,
      headers: jsonApi,
      body: { data: orgInvite("i1", { accepted_at: null }) },
    }));
    const inv = await c.createInvite(ORG, { recipientEmail: "i1@example.com", inviteUserAs: "admin" });
    assert.strictEqual(inv.id, "i1");
    assert.strictEqual(isOrgInviteAccepted(inv), false);
    const r = srv.requests[0];
    assert.strictEqual(`${r.method} ${r.url}`, `POST /org/api/v2/organizations/${ORG}/invites`);
    assert.strictEqual(r.headers.authorization, "Bearer orgtoken789");
    assert.strictEqual(r.headers.accept, "application/vnd.api+json");
    assert.strictEqual(r.headers["content-type"], "application/vnd.api+json");
    assert.deepStrictEqual(JSON.parse(r.body), {
      data: {
        type: "organization_invites",
        attributes: { recipient_email: "i1@example.com", invite_user_as: "admin" },
      },
    });
  });

  it("omits invite_user_as for a regular member", async () => {
    srv.handle(() => ({ status: 201, body: { data: orgInvite("i1") } }));
    await c.createInvite(ORG, { recipientEmail: "i1@example.com" });
    assert.deepStrictEqual(JSON.parse(srv.requests[0].body).data.attributes, {
      recipient_email: "i1@example.com",
    });
  });

  it("gets, deletes (204) and accepts", async () => {
    srv.handle((r) => {
      if (r.method === "DELETE") return { status: 204 };
      if (r.method === "PUT") {
        return {
          body: {
            data: {
              ...orgInvite("i1", { accepted_at: "2024-02-02T00:00:00Z" }),
              relationships: {
                accepted_by_user: { data: { id: "u9", type: "users" } },
                cancelled_by_user: { data: null },
                invited_by_user: { data: { id: "u1", type: "users" } },
              },
            },
          },
        };
      }
      return { body: { data: orgInvite("i1") } };
    });
    assert.strictEqual((await c.getInvite(ORG, "i1")).id, "i1");
    assert.strictEqual(await c.deleteInvite(ORG, "i1"), undefined);
    const accepted = await c.acceptInvite(ORG, "i1", "thecode");
    assert.strictEqual(isOrgInviteAccepted(accepted), true);
    assert.strictEqual(accepted.relationships.accepted_by_user.data?.id, "u9");
    assert.deepStrictEqual(
      srv.requests.map((r) => `${r.method} ${r.url}`),
      [
        `GET /org/api/v2/organizations/${ORG}/invites/i1`,
        `DELETE /org/api/v2/organizations/${ORG}/invites/i1`,
        `PUT /org/api/v2/organizations/${ORG}/invites/i1/accept`,
      ],
    );
    assert.deepStrictEqual(JSON.parse(srv.requests[2].body), {
      data: { type: "organization_invites", attributes: { code: "thecode" } },
    });
  });

  it("lists across pages following links.next, with per_page and the admin filter", async () => {
    srv.handle((r) => {
      const u = new URL(r.url, srv.origin);
      const page = Number(u.searchParams.get("page") ?? "1");
      const next = page < 3 ? `/org/api/v2/organizations/${ORG}/invites?page=${page + 1}&per_page=2` : null;
      return {
        body: {
          data: [orgInvite(`p${page}a`), orgInvite(`p${page}b`)],
          meta: { pagination: { page, per_page: 2, total_count: 6, total_pages: 3 } },
          links: { next },
        },
      };
    });
    const all = await collect(c.listInvites(ORG, { perPage: 2, inviteUserAs: "admin" }));
    assert.deepStrictEqual(
      all.map((i) => i.id),
      ["p1a", "p1b", "p2a", "p2b", "p3a", "p3b"],
    );
    const first = new URL(srv.requests[0].url, srv.origin);
    assert.strictEqual(first.searchParams.get("per_page"), "2");
    assert.strictEqual(first.searchParams.get("filter[invite_user_as]"), "admin");
    assert.strictEqual(srv.requests.length, 3);
  });

  it("falls back to meta.pagination when there is no links.next", async () => {
    srv.handle((r) => {
      const page = Number(new URL(r.url, srv.origin).searchParams.get("page") ?? "1");
      return {
        body: {
          data: [orgInvite(`p${page}`)],
          meta: { pagination: { page, per_page: 1, total_count: 3, total_pages: 3 }, sort: null, filter: {} },
        },
      };
    });
    const all = await collect(c.listInvites(ORG, { perPage: 1 }));
    assert.deepStrictEqual(
      all.map((i) => i.id),
      ["p1", "p2", "p3"],
    );
    assert.strictEqual(new URL(srv.requests[2].url, srv.origin).searchParams.get("page"), "3");
    assert.strictEqual(new URL(srv.requests[2].url, srv.origin).searchParams.get("per_page"), "1");
  });

  it("accepts links.next as an object with href", async () => {
    srv.handle((r) =>
      r.url.includes("page=2")
        ? { body: { data: [orgInvite("b")] } }
        : { body: { data: [orgInvite("a")], links: { next: { href: `${srv.origin}/org/x?page=2` } } } },
    );
    assert.deepStrictEqual(
      (await collect(c.listInvites(ORG))).map((i) => i.id),
      ["a", "b"],
    );
  });

  it("422 names the JSON:API source.pointer field", async () => {
    srv.handle(() => ({
      status: 422,
      headers: jsonApi,
      body: {
        errors: [
          {
            status: "422",
            title: "Invalid attribute",
            detail: "is not a valid email",
            source: { pointer: "/data/attributes/recipient_email" },
          },
        ],
      },
    }));
    const err = await rejection(c.createInvite(ORG, { recipientEmail: "x@example.com" }));
    assert.ok(err instanceof ApiError && err.kind === "validation");
    assert.match(
      err.message,
      /^Mode organization-invites API: POST \/api\/v2\/organizations\/[-0-9a-f]+\/invites failed with 422 Unprocessable Entity: recipient_email: is not a valid email \(\/data\/attributes\/recipient_email\)\./,
    );
  });

  it("401 names the org token setting; 403 says the token has no rights; 404 is not found", async () => {
    for (const [status, re] of [
      [401, /pulumi config set --secret mode:orgApiToken <value>` or set the MODE_ORG_API_TOKEN/],
      [403, /no rights in that organization/],
      [404, /does not exist or is not visible/],
    ] as const) {
      srv.handle(() => ({ status, body: { errors: [{ status: String(status), title: "Nope" }] } }));
      const err = await rejection(c.getInvite(ORG, "i1"));
      assert.ok(err instanceof ApiError);
      assert.strictEqual(err.status, status);
      assert.match(err.message, re);
      assert.strictEqual(err.api, "org");
      assert.strictEqual(isNotFound(err), status === 404);
    }
  });

  it("checks arguments before any request", async () => {
    const calls: Array<[() => Promise<unknown>, RegExp]> = [
      [() => collect(c.listInvites(ORG, { perPage: 0 })), /perPage must be an integer from 1 to 100/],
      [() => collect(c.listInvites(ORG, { perPage: 101 })), /perPage/],
      [
        () => collect(c.listInvites(ORG, { inviteUserAs: "owner" as "admin" })),
        /inviteUserAs must be one of "admin"/,
      ],
      [() => c.createInvite(ORG, { recipientEmail: "nope" }), /recipientEmail must be an email address/],
      [() => c.createInvite("", { recipientEmail: "a@example.com" }), /organizationId must be a non-empty/],
      [() => c.getInvite(ORG, ".."), /inviteId must be a token/],
      [() => c.deleteInvite(ORG, ""), /inviteId must be a non-empty/],
      [() => c.acceptInvite(ORG, "i1", ""), /code must be a non-empty/],
    ];
    for (const [call, re] of calls) {
      const err = await rejection(call());
      assert.ok(err instanceof ApiError && err.kind === "invalid_argument", String(err));
      assert.match(err.message, re);
    }
    assert.strictEqual(srv.requests.length, 0);
  });

  it("refuses invite ids that could change the endpoint; valid ids reach their own path", async () => {
    const err = await rejection(c.getInvite(ORG, "../../other-org/invites/x?y#z"));
    assert.ok(err instanceof ApiError && err.kind === "invalid_argument", String(err));
    assert.strictEqual(srv.requests.length, 0);
    srv.handle(() => ({ status: 404, body: { errors: [{ status: "404", title: "Not Found" }] } }));
    await rejection(c.getInvite(ORG, "inv_1-A"));
    assert.strictEqual(srv.requests[0].url, `/org/api/v2/organizations/${ORG}/invites/inv_1-A`);
  });

  it("has no default base URL", () => {
    assert.throws(
      () => new OrgClient({ apiUrl: "", token: "t" }),
      (e: unknown) => e instanceof ApiError && e.kind === "invalid_argument" && /apiUrl/.test(e.message),
    );
  });
});

describe("isOrgInviteAccepted", () => {
  const withAt = (accepted_at: string | null): OrgInvite =>
    orgInvite("x", { accepted_at }) as unknown as OrgInvite;
  it("null and the -4712 sentinel mean not accepted", () => {
    assert.strictEqual(isOrgInviteAccepted(withAt(null)), false);
    assert.strictEqual(isOrgInviteAccepted(withAt("-4712-01-01T00:00:00Z")), false);
    assert.strictEqual(isOrgInviteAccepted(withAt("-4712-11-24T00:00:00.000Z")), false);
    assert.strictEqual(isOrgInviteAccepted(withAt("")), false);
  });
  it("a real timestamp means accepted", () => {
    assert.strictEqual(isOrgInviteAccepted(withAt("2021-11-23T14:38:02Z")), true);
  });
});
