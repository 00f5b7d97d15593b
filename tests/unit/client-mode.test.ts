import assert from "assert";
import { credentialsHint } from "../../provider/settings";
import { ApiError, ModeClient, isNotFound, type ModeClientOptions } from "../../provider/client";
import {
  collect,
  invite,
  membership,
  modePage,
  rejection,
  spaceMembership,
  startScript,
  type ScriptServer,
} from "../support/client-helpers";

const TOKEN = "modetoken123";
const SECRET = "modesecret456";

describe("ModeClient (scripted server)", () => {
  let srv: ScriptServer;
  let c: ModeClient;
  beforeEach(async () => {
    srv = await startScript();
    c = new ModeClient({
      apiUrl: `${srv.origin}/api`,
      token: TOKEN,
      secret: SECRET,
      retry: { retries: 0 },
      credentialsHint: credentialsHint("mode"),
    });
  });
  afterEach(async () => {
    await srv.close();
  });

  it("creates an invite with Basic auth, HAL accept and a JSON body", async () => {
    srv.handle(() => ({ body: invite("a@example.com", { invitee_id: "2" }) }));
    const inv = await c.createInvite("acme", { email: "a@example.com", message: "hi" });
    assert.strictEqual(inv.email, "a@example.com");
    assert.strictEqual(inv.invitee_id, "2");
    const r = srv.requests[0];
    assert.strictEqual(r.method, "POST");
    assert.strictEqual(r.url, "/api/acme/invites");
    assert.strictEqual(
      r.headers.authorization,
      "Basic " + Buffer.from(`${TOKEN}:${SECRET}`).toString("base64"),
    );
    assert.strictEqual(r.headers.accept, "application/hal+json");
    assert.strictEqual(r.headers["content-type"], "application/json");
    assert.deepStrictEqual(JSON.parse(r.body), {
      invite: { invitee: { email: "a@example.com" }, message: "hi" },
    });
  });

  it("gets and deletes workspace memberships", async () => {
    srv.handle(() => ({ body: membership(7) }));
    assert.strictEqual((await c.getMembership("acme", "tok7")).member_username, "user7");
    assert.strictEqual((await c.deleteMembership("acme", "tok7")).member_token, "tok7");
    assert.deepStrictEqual(
      srv.requests.map((r) => `${r.method} ${r.url}`),
      ["GET /api/acme/memberships/tok7", "DELETE /api/acme/memberships/tok7"],
    );
    assert.strictEqual(srv.requests[0].headers["content-type"], undefined);
  });

  it("creates, lists, gets and deletes space memberships", async () => {
    srv.handle((r) => {
      if (r.method === "GET" && r.url.endsWith("/memberships")) {
        return { body: modePage([spaceMembership(1), spaceMembership(2)], { self: r.url }) };
      }
      return { body: spaceMembership(1) };
    });
    const created = await c.createSpaceMembership("acme", "s1", {
      memberType: "UserGroup",
      memberToken: "g1",
    });
    assert.strictEqual(created.token, "sm1");
    assert.deepStrictEqual(JSON.parse(srv.requests[0].body), {
      membership: { member_type: "UserGroup", member_token: "g1" },
    });
    assert.deepStrictEqual(
      (await collect(c.listSpaceMemberships("acme", "s1"))).map((m) => m.token),
      ["sm1", "sm2"],
    );
    await c.getSpaceMembership("acme", "s1", "sm1");
    await c.deleteSpaceMembership("acme", "s1", "sm1");
    assert.deepStrictEqual(
      srv.requests.map((r) => `${r.method} ${r.url}`),
      [
        "POST /api/acme/spaces/s1/memberships",
        "GET /api/acme/spaces/s1/memberships",
        "GET /api/acme/spaces/s1/memberships/sm1",
        "DELETE /api/acme/spaces/s1/memberships/sm1",
      ],
    );
  });

  it("accepts space-membership collections under _embedded.space_memberships", async () => {
    srv.handle(() => ({ body: modePage([spaceMembership(3)], { key: "space_memberships" }) }));
    assert.deepStrictEqual(
      (await collect(c.listSpaceMemberships("acme", "s1"))).map((m) => m.token),
      ["sm3"],
    );
  });

  describe("path segments outside their rule are refused; valid ones are encoded", () => {
    for (const input of ["../admin", "a/b", "a%2Fb", "x?y=1", "x#frag", "with space", "..."]) {
      it(`workspace ${JSON.stringify(input)} is refused before any request`, async () => {
        const err = await rejection(c.getMembership(input, "m"));
        assert.ok(err instanceof ApiError && err.kind === "invalid_argument", String(err));
        assert.match(err.message, /workspace must be a Mode username/);
        assert.strictEqual(srv.requests.length, 0);
      });
    }
    it("a valid name with dots and dashes reaches its own path unchanged", async () => {
      srv.handle(() => ({ status: 404, body: { id: "not_found", message: "Not found" } }));
      const err = await rejection(c.getMembership("acme.data-team", "m_1-x"));
      assert.ok(isNotFound(err));
      assert.strictEqual(srv.requests[0].url, "/api/acme.data-team/memberships/m_1-x");
    });
  });

  describe("arguments are checked before any request", () => {
    const longMessage = "x".repeat(1001);
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ["empty workspace", () => c.getMembership("", "m"), /workspace must be a non-empty string/],
      ["blank membership", () => c.getMembership("acme", "  "), /membership must be a non-empty string/],
      ["'.' segment", () => c.deleteMembership(".", "m"), /workspace must be a Mode username/],
      ["'..' segment", () => c.getSpaceMembership("acme", "..", "m"), /space must be a token/],
      [
        "non-string",
        () => c.getMembership(undefined as unknown as string, "m"),
        /workspace must be a string/,
      ],
      [
        "bad email",
        () => c.createInvite("acme", { email: "not-an-email", message: "" }),
        /invite.email must be an email address/,
      ],
      [
        "email with space",
        () => c.createInvite("acme", { email: "a b@example.com", message: "" }),
        /must be an email address/,
      ],
      [
        "long message",
        () => c.createInvite("acme", { email: "a@example.com", message: longMessage }),
        /at most 1,000 characters/,
      ],
      [
        "bad memberType",
        () => c.createSpaceMembership("acme", "s", { memberType: "Admin" as "User", memberToken: "t" }),
        /memberType must be one of "User", "UserGroup"/,
      ],
      [
        "empty memberToken",
        () => c.createSpaceMembership("acme", "s", { memberType: "User", memberToken: "" }),
        /memberToken must be a non-empty string/,
      ],
      ["empty space in list", () => collect(c.listSpaceMemberships("acme", "")), /space must be a non-empty/],
    ];
    for (const [name, call, re] of cases) {
      it(name, async () => {
        const err = await rejection(call());
        assert.ok(err instanceof ApiError, String(err));
        assert.strictEqual(err.kind, "invalid_argument");
        assert.strictEqual(err.status, 0);
        assert.match(err.message, re);
        assert.strictEqual(srv.requests.length, 0);
      });
    }
    it("a 1000-character message is fine", async () => {
      srv.handle(() => ({ body: invite("a@example.com") }));
      await c.createInvite("acme", { email: "a@example.com", message: "x".repeat(1000) });
    });
  });

  describe("constructor options", () => {
    const base = { apiUrl: "https://app.mode.com/api", token: "t", secret: "s" };
    const cases: Array<[string, ModeClientOptions, RegExp]> = [
      ["empty token", { ...base, token: "" }, /token must be a non-empty string/],
      ["empty secret", { ...base, secret: "" }, /secret must be a non-empty string/],
      ["colon in token", { ...base, token: "a:b" }, /token must not contain ":"/],
      ["newline in secret", { ...base, secret: "a\nb" }, /secret must not contain whitespace/],
      [
        "missing apiUrl",
        { ...base, apiUrl: undefined as unknown as string },
        /apiUrl must be a non-empty URL/,
      ],
      ["negative retries", { ...base, retry: { retries: -1 } }, /retry.retries must be an integer >= 0/],
      ["fractional retries", { ...base, retry: { retries: 1.5 } }, /retry.retries must be an integer/],
      ["zero timeout", { ...base, timeoutMs: 0 }, /timeoutMs must be a number >= 1/],
      ["NaN delay", { ...base, retry: { baseDelayMs: NaN } }, /retry.baseDelayMs must be a number/],
      ["zero concurrency", { ...base, maxConcurrency: 0 }, /maxConcurrency must be an integer >= 1/],
      [
        "zero rate",
        { ...base, requestsPerSecond: 0 },
        /requestsPerSecond must be a number >= 0 \(exclusive\)/,
      ],
      ["no options", undefined as unknown as ModeClientOptions, /options must be an object/],
    ];
    for (const [name, opts, re] of cases) {
      it(`rejects ${name}`, () => {
        assert.throws(
          () => new ModeClient(opts),
          (e: unknown) => e instanceof ApiError && e.kind === "invalid_argument" && re.test(e.message),
        );
      });
    }
  });

  describe("error messages say what to do", () => {
    it("401 names the Mode credentials", async () => {
      srv.handle(() => ({ status: 401, body: { id: "unauthorized", message: "Unauthorized" } }));
      const err = await rejection(c.getMembership("acme", "m"));
      assert.ok(err instanceof ApiError && err.kind === "unauthorized");
      assert.match(
        err.message,
        /^Mode API: GET \/acme\/memberships\/m failed with 401 Unauthorized: Unauthorized\. .*pulumi config set --secret mode:apiToken <value>` or set the MODE_API_TOKEN/,
      );
    });
    it("403 on POST invites explains Workspace API tokens", async () => {
      srv.handle(() => ({ status: 403, body: { id: "forbidden", message: "You are not allowed" } }));
      const err = await rejection(c.createInvite("acme", { email: "a@example.com", message: "" }));
      assert.ok(err instanceof ApiError && err.kind === "forbidden");
      assert.match(
        err.message,
        /^Mode API: POST \/acme\/invites failed with 403 Forbidden: You are not allowed\. /,
      );
      assert.match(err.message, /Workspace API tokens cannot be used with the invites endpoint/);
      assert.match(err.message, /personal API token \(with its secret\)/);
    });
    it("403 elsewhere does not mention invites", async () => {
      srv.handle(() => ({ status: 403, body: { id: "forbidden", message: "nope" } }));
      const err = await rejection(c.deleteMembership("acme", "m"));
      assert.doesNotMatch(String(err), /Workspace API tokens/);
      assert.match(String(err), /no rights/);
    });
    it("404 says the object does not exist or is not visible", async () => {
      srv.handle(() => ({ status: 404, body: { id: "not_found", message: "Space not found" } }));
      const err = await rejection(c.getSpaceMembership("acme", "nope", "m"));
      assert.ok(isNotFound(err));
      assert.match(
        String(err),
        /Space not found\. The workspace, space or object does not exist or is not visible/,
      );
    });
    it("400 carries the server detail", async () => {
      srv.handle(() => ({
        status: 400,
        body: { id: "bad_request", message: "Member is already in this space" },
      }));
      const err = await rejection(
        c.createSpaceMembership("acme", "s", { memberType: "User", memberToken: "t" }),
      );
      assert.ok(err instanceof ApiError && err.kind === "validation");
      assert.strictEqual(err.serverMessage, "Member is already in this space");
      assert.match(err.message, /failed with 400 Bad Request: Member is already in this space\./);
    });
    it("isNotFound is false for other errors and non-errors", () => {
      assert.strictEqual(isNotFound(new Error("404")), false);
      assert.strictEqual(isNotFound(undefined), false);
    });
  });
});
