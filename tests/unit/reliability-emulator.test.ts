/**
 * The emulator's reliability fault kinds (malformed answers, per-route fault limits) and the client's
 * reading of malformed answers: clear `invalid_response` errors, no retry, nothing echoed.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { malform, parseFaultConfig } from "../../emulator/faults";
import { ApiError, ModeClient, OrgClient } from "../../provider/client";
import { parseJson } from "../../provider/client/response";
import { basic, bearer, control, req } from "../../testing/emulator-control";
import { collect, emulatorState, requestCounts, setFaults } from "../../testing/fault-stack";

describe("reliability: malformed answers and fault limits in the emulator", () => {
  let emu: RunningEmulator;
  let admin: string;
  let spaceUrl: string;
  let orgInvites: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    admin = basic(emu.seed.mode.token, emu.seed.mode.secret);
    spaceUrl = `${emu.modeApiUrl}/${emu.seed.mode.workspace}/spaces/${emu.seed.mode.spaces[0]}/memberships`;
    orgInvites = `${emu.orgApiUrl}/api/v2/organizations/${emu.seed.org.organizationId}/invites`;
  });
  after(() => emu.close());
  beforeEach(async () => {
    await setFaults(emu, {});
    await control(emu, "POST", "/reset");
    await control(emu, "DELETE", "/requests");
  });

  it("validates the new route settings", () => {
    assert.throws(
      () => parseFaultConfig({ routes: { x: { malformed: "xml" } } }),
      /malformed must be one of/,
    );
    assert.throws(() => parseFaultConfig({ routes: { x: { malformedRate: 2 } } }), /malformedRate/);
    assert.throws(() => parseFaultConfig({ routes: { x: { times: -1 } } }), /times must be an integer/);
    const cfg = parseFaultConfig({ routes: { x: { malformed: "html", malformedRate: 0.5, times: 2 } } });
    assert.deepEqual(cfg.routes.x, { malformed: "html", malformedRate: 0.5, times: 2 });
  });

  it("malform() rewrites each kind and leaves answers without a body alone", () => {
    const body = JSON.stringify({ token: "t", member_token: "m", _links: { self: { href: "x" } } });
    const reply = { status: 201, headers: { "Content-Type": "application/hal+json" }, body };
    const html = malform("html", reply)!;
    assert.equal(html.headers["Content-Type"], "text/html; charset=utf-8");
    assert.match(html.body, /^<!DOCTYPE html>/);
    assert.equal(malform("truncated", reply)!.body, body.slice(0, Math.floor(body.length / 2)));
    assert.equal(JSON.parse(malform("missing-field", reply)!.body)._links, undefined);
    assert.equal(JSON.parse(malform("wrong-type", reply)!.body).token, 12345);
    const list = JSON.stringify({ data: [{ id: "a", attributes: {} }] });
    assert.equal(
      JSON.parse(malform("missing-field", { ...reply, body: list })!.body).data[0].attributes,
      undefined,
    );
    assert.equal(malform("html", { status: 204, headers: {} }), null);
    assert.equal(malform("html", { ...reply, status: 404 }), null);
  });

  it("answers malformed after committing, counts it, and honours times", async () => {
    await setFaults(emu, { routes: { "mode.spaceMemberships.create": { malformed: "html", times: 1 } } });
    const member = (i: number) => ({
      auth: admin,
      body: { membership: { member_type: "User", member_token: emu.seed.mode.users[i].token } },
    });
    const first = await req("POST", spaceUrl, member(0));
    assert.equal(first.status, 200);
    assert.match(first.headers.get("content-type") ?? "", /text\/html/);
    assert.match(first.text, /Bad Gateway/);
    const second = await req("POST", spaceUrl, member(1));
    assert.equal(second.status, 200);
    assert.doesNotThrow(() => JSON.parse(second.text));
    const state = await emulatorState(emu);
    const tokens = state.spaceMemberships.map((m) => m.memberToken);
    assert.ok(tokens.includes(emu.seed.mode.users[0].token), "the malformed create was not committed");
    assert.ok(tokens.includes(emu.seed.mode.users[1].token));
    assert.deepEqual((await requestCounts(emu)).faults, { "malformed:html": 1 });
  });

  it("times limits dropAfterCommit and status faults too", async () => {
    await setFaults(emu, {
      routes: {
        "org.invites.list": { status: [503], times: 2 },
        "org.invites.create": { dropAfterCommit: 1, times: 1 },
      },
    });
    const auth = bearer(emu.seed.org.token);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await req("GET", orgInvites, { auth })).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    const body = { data: { type: "invites", attributes: { recipient_email: "x@example.com" } } };
    const headers = { "Content-Type": "application/vnd.api+json" };
    await assert.rejects(req("POST", orgInvites, { auth, body, headers }));
    const again = await req("POST", orgInvites, { auth, body, headers });
    assert.equal(again.status, 422, "the lost create was committed: a second one is a duplicate");
  });

  for (const kind of ["html", "truncated", "missing-field", "wrong-type"] as const) {
    it(`the clients turn a ${kind} answer into a clear invalid_response error, without retrying`, async () => {
      const mode = new ModeClient({
        apiUrl: emu.modeApiUrl,
        token: emu.seed.mode.token,
        secret: emu.seed.mode.secret,
      });
      const org = new OrgClient({ apiUrl: emu.orgApiUrl, token: emu.seed.org.token });
      await setFaults(emu, {
        routes: {
          "mode.spaceMemberships.create": { malformed: kind },
          "org.invites.list": { malformed: kind },
        },
      });
      const errors: ApiError[] = [];
      await assert.rejects(
        mode.createSpaceMembership(emu.seed.mode.workspace, emu.seed.mode.spaces[0], {
          memberType: "User",
          memberToken: emu.seed.mode.users[2].token,
        }),
        (err: unknown) => err instanceof ApiError && errors.push(err) > 0,
      );
      await assert.rejects(
        (async () => {
          for await (const _ of org.listInvites(emu.seed.org.organizationId)) void _;
        })(),
        (err: unknown) => err instanceof ApiError && errors.push(err) > 0,
      );
      const why = {
        html: /looks like HTML/,
        truncated: /truncated JSON/,
        "missing-field": /is required/,
        "wrong-type": /must be (string|object|array)/,
      }[kind];
      for (const err of errors) {
        collect(`client ${kind}`, err.message);
        assert.equal(err.kind, "invalid_response");
        assert.match(err.message, why);
        assert.match(err.message, /(POST|GET) \/\S+ failed/);
        assert.match(err.message, /unexpected shape/);
      }
      const counts = await requestCounts(emu);
      assert.equal(
        counts.byRoute["POST mode.spaceMemberships.create"],
        1,
        "a malformed answer is not retried",
      );
    });
  }

  it("parseJson recognises JSON cut after a complete value as truncated (and never echoes the body)", () => {
    for (const text of ['{"a":1', '{"a":"bc', '{"a":[1,', '{"code":"deadbeef"', '{"a":tr']) {
      const r = parseJson(text);
      assert.equal(r.ok, false);
      assert.deepEqual(r, { ok: false, why: "truncated JSON" }, text);
    }
    assert.deepEqual(parseJson('{"a":1}x'), { ok: false, why: "malformed JSON" });
    assert.deepEqual(parseJson("<html>"), { ok: false, why: "looks like HTML" });
  });
});
