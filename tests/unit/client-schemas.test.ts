import assert from "assert";
import { ajv, compile, formatFailures, validate, validators } from "../../provider/client";

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

  it("accept the documented Mode invite and space membership samples", () => {
    assert.ok(validators.modeInvite(samples.modeInvite), JSON.stringify(validators.modeInvite.errors));
    assert.ok(
      validators.spaceMembership(samples.spaceMembership),
      JSON.stringify(validators.spaceMembership.errors),
    );
  });

  it("point at the offending field, with required fields named", () => {
    const r = validate(validators.workspaceMembership, {
      admin: "no",
      state: "active",
      _links: { self: { href: "x" } },
    });
    assert.ok(!r.valid);
    if (r.valid) return;
    assert.deepStrictEqual(r.failures.map((f) => `${f.pointer} ${f.message}`).sort(), [
      "/admin must be boolean",
      "/member_token is required",
      "/member_username is required",
    ]);
    assert.match(r.message, /field \/admin must be boolean/);
    assert.match(r.message, /field \/member_username is required/);
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
