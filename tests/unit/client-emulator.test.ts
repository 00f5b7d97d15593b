import assert from "assert";
import { credentialsHint } from "../../provider/settings";
import util from "util";
import fetch from "node-fetch";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  ApiError,
  ModeClient,
  OrgClient,
  isNotFound,
  isOrgInviteAccepted,
  type DeprecationNotice,
  type ModeClientOptions,
  type OrgClientOptions,
} from "../../provider/client";
import { collect, recordingSleep, rejection } from "../support/client-helpers";

/** Request counts of the emulator's log. */
interface Counts {
  total: number;
  byRoute: Record<string, number>;
  faults: Record<string, number>;
  rateLimited: number;
}

async function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const counts = (emu: RunningEmulator) => control(emu, "GET", "/requests") as Promise<Counts>;
const resetCounts = (emu: RunningEmulator) => control(emu, "DELETE", "/requests");
const setFaults = (emu: RunningEmulator, cfg: unknown) => control(emu, "PUT", "/faults", cfg);

/** Client integration tests over real HTTP against the in-process emulator. */
describe("clients against the emulator", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ws: string;
  const fast = { retry: { baseDelayMs: 1, maxDelayMs: 20 } };
  const modeClient = (extra: Partial<ModeClientOptions> = {}) =>
    new ModeClient({
      apiUrl: emu.modeApiUrl,
      token: emu.seed.mode.token,
      secret: emu.seed.mode.secret,
      credentialsHint: credentialsHint("mode"),
      ...fast,
      ...extra,
    });
  const orgClient = (extra: Partial<OrgClientOptions> = {}) =>
    new OrgClient({
      apiUrl: emu.orgApiUrl,
      token: emu.seed.org.token,
      credentialsHint: credentialsHint("org"),
      ...fast,
      ...extra,
    });

  before(async () => {
    emu = await startEmulator({ port: 0, modePageSize: 2, seed: { users: 7, spaces: 3, userGroups: 2 } });
    ws = emu.seed.mode.workspace;
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(async () => {
    await setFaults(emu, {});
    await resetCounts(emu);
  });

  describe("Mode workspace memberships and invites", () => {
    it("lists every member across ≥3 pages by following next links", async () => {
      const all = await collect(modeClient().listMemberships(ws));
      const usernames = all.map((m) => m.member_username);
      for (const u of emu.seed.mode.users) assert.ok(usernames.includes(u.username), u.username);
      assert.strictEqual(new Set(all.map((m) => m.member_token)).size, all.length);
      const pages = (await counts(emu)).byRoute["GET mode.memberships.list"];
      assert.strictEqual(pages, Math.ceil(all.length / 2));
      assert.ok(pages >= 3, `pages ${pages}`);
    });

    it("gets and deletes a membership; afterwards it is not found (and a second delete is 404)", async () => {
      const c = modeClient();
      const user = (await control(emu, "POST", "/mode/users", { workspace: ws })) as {
        token: string;
        username: string;
      };
      const m = await c.getMembership(ws, user.token);
      assert.strictEqual(m.member_username, user.username);
      assert.strictEqual(m.state, "active");
      const deleted = await c.deleteMembership(ws, user.token);
      assert.strictEqual(deleted.member_token, user.token);
      assert.ok(isNotFound(await rejection(c.getMembership(ws, user.token))));
      assert.ok(isNotFound(await rejection(c.deleteMembership(ws, user.token))));
    });

    it("invites, re-invites (same invite, resent_at) and shows the invited membership", async () => {
      const c = modeClient();
      const email = "invitee.one@example.com";
      const inv = await c.createInvite(ws, { email, message: "Welcome" });
      assert.strictEqual(inv.email, email);
      assert.strictEqual(inv.accepted_at, null);
      const again = await c.createInvite(ws, { email: email.toUpperCase(), message: "Welcome" });
      assert.strictEqual(String(again.invitee_id), String(inv.invitee_id));
      assert.ok(again.resent_at, "resent_at set");
      const invited = (await collect(c.listMemberships(ws))).filter((m) => m.state === "invited");
      assert.strictEqual(invited.length, 1);
      assert.strictEqual(invited[0].invited, true);
    });

    it("inviting an active member is a 400 with the server's reason", async () => {
      const err = await rejection(
        modeClient().createInvite(ws, { email: emu.seed.mode.users[0].email, message: "" }),
      );
      assert.ok(err instanceof ApiError && err.kind === "validation" && err.status === 400);
      assert.match(err.message, /already a member/);
    });

    it("a Workspace API token gets a 403 that says a personal API token is required", async () => {
      const c = modeClient({ ...emu.seed.mode.workspaceApiToken });
      const err = await rejection(c.createInvite(ws, { email: "wsapi@example.com", message: "" }));
      assert.ok(err instanceof ApiError && err.kind === "forbidden");
      assert.match(err.message, /^Mode API: POST \/[^ ]+\/invites failed with 403 Forbidden: /);
      assert.match(err.message, /personal API token \(with its secret\) is required/);
    });

    it("credentials without access get 403, wrong credentials 401, an unknown workspace 404", async () => {
      const noAccess = modeClient({ ...emu.seed.mode.noAccess });
      const e403 = await rejection(noAccess.getMembership(ws, emu.seed.mode.users[0].token));
      assert.ok(e403 instanceof ApiError && e403.kind === "forbidden");
      const wrong = modeClient({ secret: "not-the-secret" });
      const e401 = await rejection(collect(wrong.listMemberships(ws)));
      assert.ok(e401 instanceof ApiError && e401.kind === "unauthorized");
      assert.match(e401.message, /pulumi config set --secret mode:apiToken/);
      const e404 = await rejection(collect(modeClient().listMemberships("no-such-workspace")));
      assert.ok(isNotFound(e404));
      const c = await counts(emu);
      assert.strictEqual(c.total, 3, JSON.stringify(c));
    });
  });

  describe("Mode space memberships", () => {
    it("creates users and groups, lists across ≥3 pages, gets, rejects duplicates, deletes", async () => {
      const notices: DeprecationNotice[] = [];
      const c = modeClient({ onDeprecation: (n) => notices.push(n) });
      const space = emu.seed.mode.spaces[1];
      const created = [];
      for (const u of emu.seed.mode.users.slice(0, 4)) {
        created.push(await c.createSpaceMembership(ws, space, { memberType: "User", memberToken: u.token }));
      }
      created.push(
        await c.createSpaceMembership(ws, space, {
          memberType: "UserGroup",
          memberToken: emu.seed.mode.userGroups[0],
        }),
      );
      assert.strictEqual(created[4].member_type, "UserGroup");
      const listed = await collect(c.listSpaceMemberships(ws, space));
      assert.deepStrictEqual(listed.map((m) => m.token).sort(), created.map((m) => m.token).sort());
      assert.ok((await counts(emu)).byRoute["GET mode.spaceMemberships.list"] >= 3);
      assert.strictEqual(
        (await c.getSpaceMembership(ws, space, created[0].token)).member_token,
        created[0].member_token,
      );

      const dup = await rejection(
        c.createSpaceMembership(ws, space, { memberType: "User", memberToken: emu.seed.mode.users[0].token }),
      );
      assert.ok(dup instanceof ApiError && dup.status === 400 && /already a member/.test(dup.message));
      const unknown = await rejection(
        c.createSpaceMembership(ws, space, { memberType: "User", memberToken: "nobody" }),
      );
      assert.ok(isNotFound(unknown));

      assert.strictEqual(
        (await c.deleteSpaceMembership(ws, space, created[0].token)).token,
        created[0].token,
      );
      assert.ok(isNotFound(await rejection(c.deleteSpaceMembership(ws, space, created[0].token))));
      assert.ok(isNotFound(await rejection(c.getSpaceMembership(ws, space, created[0].token))));
      assert.ok(isNotFound(await rejection(collect(c.listSpaceMemberships(ws, "no-such-space")))));
      assert.ok(notices.length > 0 && notices.every((n) => n.deprecation && n.path.includes("/spaces/")));
    });
  });

  describe("organization invites", () => {
    it("creates (201), gets, lists across ≥3 pages, filters, accepts, deletes", async () => {
      const c = orgClient();
      const org = emu.seed.org.organizationId;
      const created = [];
      for (let i = 0; i < 5; i++) {
        created.push(
          await c.createInvite(org, {
            recipientEmail: `org.user${i}@example.com`,
            inviteUserAs: i % 2 ? "admin" : undefined,
          }),
        );
      }
      assert.strictEqual(created[0].attributes.accepted_at, null);
      assert.strictEqual(isOrgInviteAccepted(created[0]), false);
      const got = await c.getInvite(org, created[0].id);
      assert.strictEqual(isOrgInviteAccepted(got), false, `accepted_at ${got.attributes.accepted_at}`);

      await resetCounts(emu);
      const all = await collect(c.listInvites(org, { perPage: 2 }));
      for (const inv of created) assert.ok(all.some((x) => x.id === inv.id));
      assert.ok((await counts(emu)).byRoute["GET org.invites.list"] >= 3);
      const admins = await collect(c.listInvites(org, { inviteUserAs: "admin", perPage: 1 }));
      assert.ok(admins.length >= 2 && admins.every((x) => x.attributes.invite_user_as === "admin"));

      const dup = await rejection(c.createInvite(org, { recipientEmail: "ORG.USER0@example.com" }));
      assert.ok(dup instanceof ApiError && dup.status === 422 && dup.kind === "validation");
      assert.match(dup.message, /recipient_email/);

      const wrong = await rejection(c.acceptInvite(org, created[1].id, "0".repeat(64)));
      assert.ok(wrong instanceof ApiError && wrong.status === 422 && /code/.test(wrong.message));
      const accepted = await c.acceptInvite(org, created[1].id, created[1].attributes.code);
      assert.strictEqual(isOrgInviteAccepted(accepted), true);
      assert.ok(accepted.relationships.accepted_by_user.data);
      const twice = await rejection(c.acceptInvite(org, created[1].id, created[1].attributes.code));
      assert.ok(twice instanceof ApiError && twice.status === 422 && /already accepted/.test(twice.message));

      await c.deleteInvite(org, created[2].id);
      assert.ok(isNotFound(await rejection(c.getInvite(org, created[2].id))));
      assert.ok(isNotFound(await rejection(c.deleteInvite(org, created[2].id))));

      await control(emu, "POST", "/org/cancel-invite", { organizationId: org, inviteId: created[3].id });
      assert.ok((await c.getInvite(org, created[3].id)).relationships.cancelled_by_user.data);
    });

    it("another organization's token is 403, a wrong token 401, an unknown organization 404", async () => {
      const org = emu.seed.org.organizationId;
      const e403 = await rejection(orgClient({ token: emu.seed.org.otherToken }).getInvite(org, "x"));
      assert.ok(e403 instanceof ApiError && e403.kind === "forbidden");
      const e401 = await rejection(collect(orgClient({ token: "wrong-token" }).listInvites(org)));
      assert.ok(e401 instanceof ApiError && e401.kind === "unauthorized");
      assert.match(
        e401.message,
        /pulumi config set --secret mode:orgApiToken <value>` or set the MODE_ORG_API_TOKEN/,
      );
      const e404 = await rejection(collect(orgClient().listInvites("00000000-0000-0000-0000-000000000000")));
      assert.ok(isNotFound(e404));
    });
  });

  describe("retries under injected faults", () => {
    for (const status of [429, 500, 502, 503, 504]) {
      it(`retries ${status} until the retry budget is spent`, async () => {
        await setFaults(emu, {
          retryAfterSeconds: 0,
          routes: { "mode.memberships.get": { status: [status] } },
        });
        const rec = recordingSleep();
        const err = await rejection(
          modeClient({ sleep: rec.sleep, retry: { retries: 3, baseDelayMs: 1 } }).getMembership(ws, "x"),
        );
        assert.ok(err instanceof ApiError && err.status === status && err.retryable);
        assert.strictEqual((await counts(emu)).byRoute["GET mode.memberships.get"], 4);
      });
    }

    it("recovers from a 50% transient fault rate on every Mode and org route", async () => {
      await setFaults(emu, { faultRate: 0.5, retryAfterSeconds: 0 });
      const c = modeClient({ retry: { retries: 25, baseDelayMs: 1, maxDelayMs: 5 } });
      const o = orgClient({ retry: { retries: 25, baseDelayMs: 1, maxDelayMs: 5 } });
      const space = emu.seed.mode.spaces[2];
      const user = emu.seed.mode.users[5];
      assert.ok((await collect(c.listMemberships(ws))).length >= 8);
      await c.getMembership(ws, user.token);
      await c.createInvite(ws, { email: "flaky@example.com", message: "" });
      const sm = await c
        .createSpaceMembership(ws, space, { memberType: "User", memberToken: user.token })
        .catch(async (e: unknown) => {
          // A dropped connection after the commit makes the retry a duplicate (400): adopt it.
          if (e instanceof ApiError && e.status === 400) {
            return (await collect(c.listSpaceMemberships(ws, space))).find(
              (m) => m.member_token === user.token,
            )!;
          }
          throw e;
        });
      await c.getSpaceMembership(ws, space, sm.token);
      await collect(c.listSpaceMemberships(ws, space));
      await c.deleteSpaceMembership(ws, space, sm.token).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
      const org = emu.seed.org.organizationId;
      const inv = await o
        .createInvite(org, { recipientEmail: "flaky@example.com" })
        .catch(async (e: unknown) => {
          if (e instanceof ApiError && e.status === 422) {
            return (await collect(o.listInvites(org))).find(
              (x) => x.attributes.recipient_email === "flaky@example.com",
            )!;
          }
          throw e;
        });
      await o.getInvite(org, inv.id);
      await collect(o.listInvites(org, { perPage: 2 }));
      await o.deleteInvite(org, inv.id).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
      const c2 = await counts(emu);
      assert.ok(Object.values(c2.faults).reduce((a, b) => a + b, 0) > 0, JSON.stringify(c2));
    });

    it("waits at least Retry-After on a 429", async () => {
      await setFaults(emu, {
        retryAfterSeconds: 1,
        routes: { "org.invites.get": { status: [429], faultRate: 1 } },
      });
      const rec = recordingSleep();
      const org = emu.seed.org.organizationId;
      await rejection(orgClient({ sleep: rec.sleep, retry: { retries: 1 } }).getInvite(org, "x"));
      assert.ok(
        rec.delays.some((d) => d >= 1000),
        `delays ${rec.delays}`,
      );
    });

    it("retries dropped connections, including after a commit (the invite is not duplicated)", async () => {
      await setFaults(emu, { routes: { "mode.invites.create": { dropAfterCommit: 0.6 } } });
      const c = modeClient({ retry: { retries: 20, baseDelayMs: 1, maxDelayMs: 5 } });
      let n = 0;
      for (; n < 30 && !((await counts(emu)).faults.dropAfterCommit > 0); n++) {
        await c.createInvite(ws, { email: `dropped${n}@example.com`, message: "" });
      }
      await setFaults(emu, {});
      assert.ok((await counts(emu)).faults.dropAfterCommit > 0, "no drop after commit happened");
      const members = await collect(c.listMemberships(ws));
      for (let i = 0; i < n; i++) {
        assert.strictEqual(
          members.filter((m) => m.member_username === `dropped${i}`).length,
          1,
          `dropped${i}`,
        );
      }
      await setFaults(emu, { routes: { "mode.memberships.get": { dropConnection: true } } });
      await resetCounts(emu);
      const err = await rejection(
        modeClient({ retry: { retries: 2, baseDelayMs: 1 } }).getMembership(ws, "x"),
      );
      assert.ok(err instanceof ApiError && err.kind === "network" && err.status === 0);
      assert.strictEqual((await counts(emu)).byRoute["GET mode.memberships.get"], 3);
    });

    for (const status of [400, 401, 403, 404, 409, 422]) {
      it(`never retries ${status}`, async () => {
        await setFaults(emu, {
          routes: { "mode.memberships.get": { status: [status] }, "org.invites.get": { status: [status] } },
        });
        const e1 = await rejection(modeClient({ sleep: recordingSleep().sleep }).getMembership(ws, "x"));
        const e2 = await rejection(
          orgClient({ sleep: recordingSleep().sleep }).getInvite(emu.seed.org.organizationId, "x"),
        );
        for (const e of [e1, e2]) assert.ok(e instanceof ApiError && e.status === status && !e.retryable);
        const c = await counts(emu);
        assert.strictEqual(c.byRoute["GET mode.memberships.get"], 1);
        assert.strictEqual(c.byRoute["GET org.invites.get"], 1);
      });
    }
  });

  describe("path injection never reaches another endpoint", () => {
    const hostile = ["../x", "..%2Fx", "a/b", "x?y=1", "x#y", "with space", "%2e%2e", "memberships", "./."];
    for (const h of hostile) {
      it(`id ${JSON.stringify(h)}`, async () => {
        const c = modeClient();
        const o = orgClient();
        const org = emu.seed.org.organizationId;
        const space = emu.seed.mode.spaces[0];
        const calls: Array<[string, () => Promise<unknown>]> = [
          ["GET mode.memberships.list", () => collect(c.listMemberships(h))],
          ["GET mode.memberships.get", () => c.getMembership(ws, h)],
          ["DELETE mode.memberships.delete", () => c.deleteMembership(h, h)],
          ["POST mode.invites.create", () => c.createInvite(h, { email: "inj@example.com", message: "" })],
          ["GET mode.spaceMemberships.list", () => collect(c.listSpaceMemberships(ws, h))],
          ["GET mode.spaceMemberships.get", () => c.getSpaceMembership(ws, space, h)],
          ["DELETE mode.spaceMemberships.delete", () => c.deleteSpaceMembership(h, space, h)],
          ["GET org.invites.get", () => o.getInvite(org, h)],
          ["DELETE org.invites.delete", () => o.deleteInvite(h, h)],
          ["PUT org.invites.accept", () => o.acceptInvite(org, h, "code")],
        ];
        for (const [route, call] of calls) {
          await resetCounts(emu);
          const err = await rejection(call());
          const n = await counts(emu);
          if (err instanceof ApiError && err.kind === "invalid_argument") {
            // Outside the rule for that segment: refused before anything is sent.
            assert.deepStrictEqual(n.byRoute, {}, `${route} for ${h}`);
          } else {
            // A valid name that happens to look like a route: it reaches the intended route only.
            assert.ok(
              isNotFound(err) || (err instanceof ApiError && err.kind === "forbidden"),
              `${route}: ${String(err)}`,
            );
            assert.deepStrictEqual(n.byRoute, { [route]: 1 }, `${route} for ${h}`);
          }
        }
      });
    }
    it('"." and ".." are rejected before any request', async () => {
      for (const h of [".", ".."]) {
        const err = await rejection(modeClient().getMembership(ws, h));
        assert.ok(err instanceof ApiError && err.kind === "invalid_argument");
      }
      assert.strictEqual((await counts(emu)).total, 0);
    });
  });

  describe("rate limiting", () => {
    let limited: RunningEmulator;
    before(async () => {
      limited = await startEmulator({ port: 0, rateLimit: 5 });
    });
    after(async () => {
      await limited.close();
    });

    it("concurrent calls against a 5 req/s limit all succeed (host pause on 429)", async () => {
      const s = limited.seed.mode;
      const c = new ModeClient({ apiUrl: limited.modeApiUrl, token: s.token, secret: s.secret, ...fast });
      const results = await Promise.all(
        Array.from({ length: 15 }, () => c.getMembership(s.workspace, s.users[0].token)),
      );
      assert.strictEqual(results.length, 15);
      const n = (await counts(limited)) as Counts;
      assert.ok(n.byRoute["GET mode.memberships.get"] >= 15);
      assert.ok(n.rateLimited > 0, "the limit was hit");
    });

    it("a client-side requestsPerSecond keeps under the limit without 429s", async () => {
      await resetCounts(limited);
      await new Promise((r) => setTimeout(r, 1100));
      const s = limited.seed.mode;
      const c = new ModeClient({
        apiUrl: limited.modeApiUrl,
        token: s.token,
        secret: s.secret,
        requestsPerSecond: 4,
        ...fast,
      });
      await Promise.all(Array.from({ length: 10 }, () => c.getMembership(s.workspace, s.users[0].token)));
      assert.strictEqual(((await counts(limited)) as Counts).rateLimited, 0);
    });
  });

  describe("no credential ever appears in errors or output", () => {
    it("scans every failure mode's error and captured stdout/stderr", async () => {
      const s = emu.seed;
      const secrets = [
        s.mode.secret,
        s.mode.token,
        Buffer.from(`${s.mode.token}:${s.mode.secret}`).toString("base64"),
        s.mode.workspaceApiToken.secret,
        s.org.token,
        s.org.otherToken,
      ];
      const written: string[] = [];
      const out = process.stdout.write.bind(process.stdout);
      const errw = process.stderr.write.bind(process.stderr);
      const capture = (chunk: string | Uint8Array): boolean => {
        written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
      };
      process.stdout.write = capture as typeof process.stdout.write;
      process.stderr.write = capture as typeof process.stderr.write;
      const errors: unknown[] = [];
      try {
        const org = s.org.organizationId;
        const o = orgClient();
        const inv = await o.createInvite(org, { recipientEmail: "leak.check@example.com" });
        secrets.push(inv.attributes.code);
        await o.acceptInvite(org, inv.id, inv.attributes.code);
        errors.push(await rejection(o.acceptInvite(org, inv.id, inv.attributes.code)));
        errors.push(await rejection(o.acceptInvite(org, inv.id, "f".repeat(64))));
        errors.push(await rejection(orgClient({ token: s.org.otherToken }).getInvite(org, inv.id)));
        errors.push(
          await rejection(
            modeClient({ ...s.mode.workspaceApiToken }).createInvite(ws, {
              email: "x@example.com",
              message: "",
            }),
          ),
        );
        errors.push(await rejection(modeClient({ secret: s.mode.secret + "x" }).getMembership(ws, "x")));
        errors.push(await rejection(modeClient().getMembership(ws, "nobody")));
        await setFaults(emu, { faultRate: 1, retryAfterSeconds: 0 });
        errors.push(
          await rejection(modeClient({ retry: { retries: 2, baseDelayMs: 1 } }).getMembership(ws, "x")),
        );
        errors.push(
          await rejection(
            orgClient({ retry: { retries: 2, baseDelayMs: 1 } }).acceptInvite(
              org,
              inv.id,
              inv.attributes.code,
            ),
          ),
        );
        await setFaults(emu, {});
        const closed = new ModeClient({
          apiUrl: "http://127.0.0.1:1/api",
          token: s.mode.token,
          secret: s.mode.secret,
          retry: { retries: 0 },
        });
        errors.push(await rejection(closed.getMembership(ws, "x")));
        const slow = modeClient({ timeoutMs: 50, retry: { retries: 0 } });
        await setFaults(emu, { latencyMs: 300 });
        errors.push(await rejection(slow.getMembership(ws, "x")));
        await setFaults(emu, {});
        for (const e of errors) {
          // Rendering errors the way a user or a logger would.
          console.log(String(e));
          console.error(e);
          console.log(util.inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e));
        }
      } finally {
        process.stdout.write = out;
        process.stderr.write = errw;
      }
      assert.ok(errors.length >= 10);
      assert.ok(errors.every((e) => e instanceof ApiError));
      const texts = [
        ...written,
        ...errors.map((e) => `${(e as Error).stack} ${JSON.stringify(e)} ${util.inspect(e)}`),
      ];
      for (const t of texts) {
        for (const secret of secrets)
          assert.ok(!t.includes(secret), `leaked ${secret.slice(0, 4)}… in ${t.slice(0, 200)}`);
      }
    });
  });
});
