import assert from "assert";
import util from "util";
import { ModeClient, OrgClient } from "../../provider/client";
import { collect, rejection, startScript, type ScriptServer } from "../support/client-helpers";

const TOKEN = "tkn-3b1f9c2a";
const SECRET = "sct-9d8e7f6a5b4c";
const BASIC = Buffer.from(`${TOKEN}:${SECRET}`).toString("base64");
const ORG_TOKEN = "org-7c6b5a4d3e2f";
const CODE = "e9d8b969f1f3bc14f0869bf6921223a7a5529b8bd808b6b50fa5890779d6ffbf";
const FORBIDDEN = [SECRET, TOKEN, BASIC, ORG_TOKEN, CODE];

/** Every rendering of an error a user or a log could see. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [
    String(err),
    e.message,
    e.stack ?? "",
    JSON.stringify(err),
    util.inspect(err),
    util.inspect(err, { depth: Infinity, showHidden: true }),
    String((err as { cause?: unknown }).cause),
    util.inspect((err as { cause?: unknown }).cause, { depth: Infinity, showHidden: true }),
  ];
}

function assertClean(label: string, texts: string[]): void {
  for (const t of texts) {
    for (const s of FORBIDDEN) {
      assert.ok(!t.includes(s), `${label}: leaked ${s.slice(0, 6)}… in ${t.slice(0, 300)}`);
    }
  }
}

describe("client errors never contain credentials or invite codes", () => {
  let srv: ScriptServer;
  let mode: ModeClient;
  let org: OrgClient;
  const written: string[] = [];
  let restore: (() => void) | undefined;

  before(async () => {
    srv = await startScript();
    const opts = { retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 200 };
    mode = new ModeClient({ apiUrl: `${srv.origin}/api`, token: TOKEN, secret: SECRET, ...opts });
    org = new OrgClient({ apiUrl: `${srv.origin}/org`, token: ORG_TOKEN, ...opts });
  });
  after(async () => {
    await srv.close();
  });
  beforeEach(() => {
    const out = process.stdout.write.bind(process.stdout);
    const errw = process.stderr.write.bind(process.stderr);
    const capture =
      (orig: typeof process.stdout.write) =>
      (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return (orig as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = capture(out) as typeof process.stdout.write;
    process.stderr.write = capture(errw) as typeof process.stderr.write;
    restore = () => {
      process.stdout.write = out;
      process.stderr.write = errw;
    };
  });
  afterEach(() => {
    restore?.();
    assertClean("stdout/stderr", written);
  });

  // A hostile or buggy server echoes every credential it received into its error bodies.
  const echo = (r: { headers: Record<string, unknown> }) =>
    `auth=${String(r.headers.authorization)} token=${TOKEN} secret=${SECRET} basic=${BASIC} org=${ORG_TOKEN} code=${CODE}`;

  const scenarios: Array<
    [string, () => Promise<unknown>, (r: { headers: Record<string, unknown> }) => object]
  > = [
    [
      "mode 401",
      () => mode.getMembership("acme", "m"),
      (r) => ({ status: 401, body: { id: "unauthorized", message: echo(r) } }),
    ],
    [
      "mode 403 invites",
      () => mode.createInvite("acme", { email: "a@example.com", message: "hello" }),
      (r) => ({ status: 403, body: { id: "forbidden", message: echo(r) } }),
    ],
    [
      "mode 500 exhausted",
      () => mode.deleteMembership("acme", "m"),
      (r) => ({ status: 500, body: { message: echo(r) } }),
    ],
    ["mode dropped connection", () => mode.getMembership("acme", "m"), () => ({ drop: true })],
    ["mode timeout", () => mode.getMembership("acme", "m"), () => ({ delayMs: 400, body: {} })],
    ["mode HTML", () => mode.getMembership("acme", "m"), (r) => ({ body: `<html>${echo(r)}</html>` })],
    ["mode bad JSON", () => mode.getMembership("acme", "m"), (r) => ({ body: `{"x": "${echo(r)}` })],
    [
      "mode wrong shape",
      () => collect(mode.listMemberships("acme")),
      (r) => ({ body: { _embedded: { memberships: [{ state: echo(r) }] } } }),
    ],
    ["mode invalid argument", () => mode.getMembership("acme", ""), () => ({})],
    [
      "org 401",
      () => org.getInvite("o", "i"),
      (r) => ({ status: 401, body: { errors: [{ status: "401", title: echo(r) }] } }),
    ],
    [
      "org accept wrong code",
      () => org.acceptInvite("o", "i", CODE),
      (r) => ({
        status: 422,
        body: {
          errors: [
            {
              status: "422",
              detail: `code ${CODE} is wrong; ${echo(r)}`,
              source: { pointer: "/data/attributes/code" },
            },
          ],
        },
      }),
    ],
    [
      "org invalid response",
      () => org.getInvite("o", "i"),
      () => ({ body: { data: { id: "i", attributes: { code: CODE } } } }),
    ],
    [
      "org bad JSON with code",
      () => org.getInvite("o", "i"),
      () => ({ body: `{"data": {"attributes": {"code": "${CODE}"` }),
    ],
  ];

  for (const [name, call, reply] of scenarios) {
    it(name, async () => {
      srv.handle((r) => reply(r as unknown as { headers: Record<string, unknown> }));
      const err = await rejection(call());
      assertClean(name, renderings(err));
      // And the error is still useful.
      assert.match(String(err), /API/);
    });
  }

  it("the clients themselves do not show credentials when inspected or serialised", () => {
    assertClean("client", [util.inspect(mode), util.inspect(org), JSON.stringify(mode), JSON.stringify(org)]);
  });
});
