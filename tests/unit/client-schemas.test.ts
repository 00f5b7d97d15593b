import assert from "assert";
import {
  MODE_ERROR_IDS,
  MODE_ERROR_SCHEMAS,
  ajv,
  compile,
  formatFailures,
  validate,
  validators,
} from "../../provider/client";

const rel = (id: string | null) => ({ data: id === null ? null : { id, type: "users" } });
const invite = (id: string, accepted_at: string | null, acceptedBy: string | null) => ({
  id,
  type: "organization_invites",
  attributes: {
    accepted_at,
    code: "9d6cb999fd8b85dc71994bcec57807444e482f63f8dbdd59d7e4740c90d69ea2",
    created_at: "2021-11-23T14:38:03Z",
    invite_user_as: "admin",
    recipient_email: "11dannie.langosh@schaefer.org",
    updated_at: "2021-11-23T14:38:03Z",
    updated_in_db_at: "2021-11-23T14:38:03Z",
  },
  relationships: {
    accepted_by_user: rel(acceptedBy),
    cancelled_by_user: rel(null),
    invited_by_user: rel("5b90d024-ffbd-496b-a610-ba63ccd20e3c"),
  },
});

/** The samples of api-reference/000, 002 and 003. */
const samples = {
  orgDocs: {
    list: {
      data: [invite("0747f504-5188-45a7-9763-6e584a852fc9", "-4712-01-01T00:00:00Z", null)],
      meta: { pagination: { page: 1, per_page: 25, total_count: 1, total_pages: 1 }, sort: null, filter: {} },
    },
    create: { data: invite("570bd313-3776-441c-921f-f2d6cee5de05", null, null) },
    get: { data: invite("f7b9c8fb-d48e-480c-9e17-4b4b1a4495aa", "-4712-01-01T00:00:00Z", null) },
    accept: {
      data: invite(
        "e0eb3572-8c07-4f6b-981b-414464fc873e",
        "2021-11-23T14:38:02Z",
        "5ddd7530-79c6-41c1-8bbc-014bb48d0e0e",
      ),
    },
  },
  modeInvite: {
    email: "invitee@example.com",
    message: "minim dolore vo",
    inviter_id: 123,
    invitee_id: 456,
    organization_id: 1,
    limited: "quis enim voluptate",
    created_at: "YYYY-MM-DDTHH:MM:SS.msZ",
    sent_at: "YYYY-MM-DDTHH:MM:SS.msZ",
    resent_at: "YYYY-MM-DDTHH:MM:SS.msZ",
    clicked_at: "YYYY-MM-DDTHH:MM:SS.msZ",
    accepted_at: "YYYY-MM-DDTHH:MM:SS.msZ",
    _links: {
      inviter: { href: "Excepteur ullamco cupidatat exercitation aute", templated: false },
      invitee: { href: "deserunt est", templated: false },
    },
    _embedded: {},
  },
  spaceMembership: {
    token: "gbhnjuim5yb",
    member_token: "fgbnhtum6j5h",
    member_type: "in id commodo ipsum",
    member_id: 1019,
    email: "outer.space@example.com",
    _links: {
      self: { href: "dolore ex", templated: false },
      member: { href: "eu non aute velit officia", templated: false },
      creator: { href: "minim", templated: false },
    },
    _embedded: {},
  },
};

/** The documented sample objects validate; the helpers format failures the way resources need. */
describe("client schemas", () => {
  it("accept the documented org invite samples (list, create, get, accept)", () => {
    for (const [name, doc] of Object.entries(samples.orgDocs)) {
      const r =
        name === "list"
          ? validate(validators.orgInviteListDocument, doc)
          : validate(validators.orgInviteDocument, doc);
      assert.ok(r.valid, `${name}: ${r.valid ? "" : r.message}`);
    }
  });

  it("accept the documented space membership sample, and the invite sample once completed as published", () => {
    assert.ok(
      validators.spaceMembership(samples.spaceMembership),
      JSON.stringify(validators.spaceMembership.errors),
    );
    // The invite sample of api-reference/000, as printed, lacks expires_at (required by the page's own
    // table and by the published Invite) and _links.web_self_resend (required by InviteLinks).
    const printed = validate(validators.modeInvite, samples.modeInvite);
    assert.ok(!printed.valid);
    if (printed.valid) return;
    assert.deepStrictEqual(printed.failures.map((f) => `${f.pointer} ${f.message}`).sort(), [
      "/_links/web_self_resend is required",
      "/expires_at is required",
    ]);
    const completed = {
      ...samples.modeInvite,
      expires_at: "YYYY-MM-DDTHH:MM:SS.msZ",
      _links: { ...samples.modeInvite._links, web_self_resend: { href: "x", templated: false } },
    };
    assert.ok(validators.modeInvite(completed), JSON.stringify(validators.modeInvite.errors));
  });

  it("accept an invite without _links.invitee (optional as published)", () => {
    const { invitee: _gone, ...links } = samples.modeInvite._links;
    const invite = {
      ...samples.modeInvite,
      expires_at: "2026-01-01T00:00:00Z",
      _links: { ...links, web_self_resend: { href: "x" } },
    };
    assert.ok(validators.modeInvite(invite), JSON.stringify(validators.modeInvite.errors));
  });

  it("accept ids, limited and counts both as published (strings) and as the samples show them", () => {
    const base = samples.spaceMembership;
    for (const member_id of [1019, "1019"]) assert.ok(validators.spaceMembership({ ...base, member_id }));
    assert.ok(!validators.spaceMembership({ ...base, member_id: true }));
    const inv = {
      ...samples.modeInvite,
      expires_at: "2026-01-01T00:00:00Z",
      _links: { ...samples.modeInvite._links, web_self_resend: { href: "x" } },
    };
    for (const v of ["123", 123]) {
      for (const key of ["inviter_id", "invitee_id", "organization_id"])
        assert.ok(validators.modeInvite({ ...inv, [key]: v }), key);
    }
    for (const limited of ["false", false, true]) assert.ok(validators.modeInvite({ ...inv, limited }));
    const page = (total_count: unknown) => ({
      _links: { self: { href: "/api/acme/memberships" } },
      pagination: { first_page: "/p1", last_page: "/p3", total_pages: 3, total_count },
      _embedded: { memberships: [] },
    });
    for (const ok of [137, "137"]) assert.ok(validators.workspaceMemberships(page(ok)), String(ok));
    for (const bad of ["13x", 1.5, null]) assert.ok(!validators.workspaceMemberships(page(bad)), String(bad));
  });

  it("accept exactly the published error ids, each under its own definition", () => {
    for (const id of MODE_ERROR_IDS) assert.ok(validators.modeError({ id, message: "m" }), id);
    assert.ok(!validators.modeError({ id: "internal_error", message: "m" }));
    assert.ok(!validators.modeError({ id: "not_found" }), "message is required");
    const forStatus = (status: number, body: unknown) =>
      (MODE_ERROR_SCHEMAS[status] ?? []).some((schema) => compile(schema)(body));
    assert.ok(forStatus(404, { id: "not_found", message: "m" }));
    assert.ok(!forStatus(404, { id: "bad_request", message: "m" }));
    assert.ok(forStatus(400, { id: "param_missing", message: "m" }));
    assert.ok(forStatus(500, { id: "internal_server_error", message: "m" }));
  });

  it("point at the offending field, with required fields named", () => {
    const r = validate(validators.workspaceMembership, {
      admin: "no",
      state: "active",
      activated_at: null,
      _links: { self: { href: "x" }, web_self: { href: "x" }, organization: { href: "x" } },
    });
    assert.ok(!r.valid);
    if (r.valid) return;
    assert.deepStrictEqual(r.failures.map((f) => `${f.pointer} ${f.message}`).sort(), [
      "/_links/groups is required",
      "/admin must be boolean",
      "/member_token is required",
      "/member_username is required",
    ]);
    assert.match(r.message, /field \/admin must be boolean/);
    assert.match(r.message, /field \/member_username is required/);
    assert.match(r.message, /; and 1 more$/);
  });

  it("compile/validate work for resource input schemas with the shared ajv instance", () => {
    const schema = {
      type: "object",
      properties: { email: { type: "string", minLength: 3 }, role: { enum: ["admin", "member"] } },
      required: ["email"],
      additionalProperties: false,
    } as const;
    const fn = compile<{ email: string; role?: "admin" | "member" }>(schema);
    assert.ok(validate(fn, { email: "a@b.c" }).valid);
    const bad = validate(fn, { email: "x", role: "owner", extra: 1 });
    assert.ok(!bad.valid);
    if (bad.valid) return;
    assert.match(formatFailures(bad.failures, "input", 10), /input \/role must be one of "admin", "member"/);
    assert.match(bad.message, /field \/email must NOT have fewer than 3 characters/);
    assert.strictEqual(typeof ajv.compile, "function");
  });

  it("caps the formatted list", () => {
    const failures = Array.from({ length: 5 }, (_, i) => ({ pointer: `/f${i}`, message: "is required" }));
    assert.strictEqual(
      formatFailures(failures),
      "field /f0 is required; field /f1 is required; field /f2 is required; and 2 more",
    );
  });
});
