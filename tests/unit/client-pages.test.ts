/**
 * Reading whole listings (provider/client/pages.ts) against a scripted server: next_page links in
 * every href form, `next` should Mode send it, nothing yielded before the listing is verified, and
 * every way a listing can fail: another origin, a loop, a count short or long, a page without its
 * list, a count that changes — read once more, then a clear error. Also the one-array-whatever-its-key
 * option and the organization-invites list.
 */
import assert from "assert";
import {
  ApiError,
  ModeClient,
  OrgClient,
  Transport,
  compile,
  modeList,
  readAll,
  theOneArray,
  type ModeListPage,
} from "../../provider/client";
import {
  collect,
  membership,
  modePage,
  orgInvite,
  rejection,
  startScript,
  type ScriptServer,
  type SeenRequest,
} from "../support/client-helpers";

/** Credentials no message can contain by chance (clients register them as secrets, process-wide). */
const TOKEN = "pagesTestToken4f1c";
const SECRET = "pagesTestSecret9b2e";

/** The page number a request asks for (1 without `?page=`). */
function pageOf(r: SeenRequest): number {
  return Number(new URL(r.url, "http://x").searchParams.get("page") ?? "1");
}

/** Members `tok{10p}`, `tok{10p+1}` of page `p`. */
function two(p: number): Record<string, unknown>[] {
  return [membership(10 * p), membership(10 * p + 1)];
}

describe("client listings (scripted server)", () => {
  let srv: ScriptServer;
  beforeEach(async () => {
    srv = await startScript();
  });
  afterEach(async () => {
    await srv.close();
  });

  const client = () =>
    new ModeClient({ apiUrl: `${srv.origin}/api`, token: TOKEN, secret: SECRET, retry: { retries: 0 } });

  /** Lists acme's members, recording what was yielded before any failure. */
  async function list(): Promise<{ seen: string[]; err?: unknown }> {
    const seen: string[] = [];
    try {
      for await (const m of client().listMemberships("acme")) seen.push(m.member_token);
      return { seen };
    } catch (err) {
      return { seen, err };
    }
  }

  it("follows next_page through absolute, root-relative and relative hrefs", async () => {
    const next: Record<number, string | undefined> = {
      1: `${srv.origin}/api/acme/memberships?page=2`,
      2: "/api/acme/memberships?page=3",
      3: "memberships?page=4",
      4: "?page=5",
    };
    srv.handle((r) => ({ body: modePage(two(pageOf(r)), { next: next[pageOf(r)], total: 10 }) }));
    const { seen, err } = await list();
    assert.equal(err, undefined);
    assert.deepStrictEqual(seen, [
      "tok10",
      "tok11",
      "tok20",
      "tok21",
      "tok30",
      "tok31",
      "tok40",
      "tok41",
      "tok50",
      "tok51",
    ]);
    assert.deepStrictEqual(
      srv.requests.map((r) => r.url),
      [
        "/api/acme/memberships",
        "/api/acme/memberships?page=2",
        "/api/acme/memberships?page=3",
        "/api/acme/memberships?page=4",
        "/api/acme/memberships?page=5",
      ],
    );
  });

  it("follows _links.next should Mode send it instead of next_page", async () => {
    srv.handle((r) => {
      const page = modePage(two(pageOf(r)), { total: 4 }) as { _links: Record<string, unknown> };
      if (pageOf(r) === 1) page._links.next = { href: "/api/acme/memberships?page=2" };
      return { body: page };
    });
    assert.deepStrictEqual((await list()).seen, ["tok10", "tok11", "tok20", "tok21"]);
  });

  it("reads a list without a pagination object by its links alone", async () => {
    srv.handle((r) => {
      const page = modePage(two(pageOf(r)), pageOf(r) === 1 ? { next: "?page=2" } : {});
      delete page.pagination;
      return { body: page };
    });
    assert.deepStrictEqual((await list()).seen, ["tok10", "tok11", "tok20", "tok21"]);
  });

  it("an empty list may come without _embedded, or with an empty one", async () => {
    srv.handle(() => ({ body: { _links: { self: { href: "/api/acme/memberships" } } } }));
    assert.deepStrictEqual(await list(), { seen: [] });
    srv.handle(() => ({ body: { ...modePage([], { total: 0 }), _embedded: {} } }));
    assert.deepStrictEqual(await list(), { seen: [] });
  });

  it("refuses a next link to another origin, having yielded nothing", async () => {
    srv.handle(() => ({ body: modePage(two(1), { next: "https://evil.example.com/steal", total: 4 }) }));
    const { seen, err } = await list();
    assert.deepStrictEqual(seen, []);
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(
      err.message,
      /^Mode API: GET \/acme\/memberships failed: next link points to another origin \(https:\/\/evil\.example\.com\); refusing to send credentials there\./,
    );
    assert.strictEqual(srv.requests.length, 1);
  });

  it("refuses a loop, naming the page linked back to", async () => {
    srv.handle((r) => ({
      body: modePage(two(pageOf(r)), {
        next: pageOf(r) === 1 ? "?page=2" : "/api/acme/memberships",
        total: 9,
      }),
    }));
    const { seen, err } = await list();
    assert.deepStrictEqual(seen, []);
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(
      err.message,
      /GET \/acme\/memberships failed: pagination loop: page 2 links back to page 1 \(\/acme\/memberships\); refusing to read it again\. Nothing was decided from a partial listing/,
    );
    assert.strictEqual(srv.requests.length, 2, "a loop is not read again");
  });

  it("a listing shorter than total_count is read again once, then fails saying so", async () => {
    srv.handle((r) => ({
      body: modePage(two(pageOf(r)), { next: pageOf(r) === 1 ? "?page=2" : undefined, total: 5 }),
    }));
    const { seen, err } = await list();
    assert.deepStrictEqual(seen, []);
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.strictEqual(
      err.message,
      "Mode API: GET /acme/memberships failed: the listing was read twice and still came up short (4 of 5 " +
        "memberships): the last page, page 2 (/acme/memberships?page=2), has no next link. Nothing was " +
        "decided from a partial listing. If someone is changing these memberships right now, run again when " +
        "they are done; if it keeps happening, the API is not paging the way Mode publishes it: check the " +
        "API URL points at Mode's API.",
    );
    assert.deepStrictEqual(
      srv.requests.map((r) => r.url),
      [
        "/api/acme/memberships",
        "/api/acme/memberships?page=2",
        "/api/acme/memberships",
        "/api/acme/memberships?page=2",
      ],
    );
  });

  it("a count that does not add up on the first reading but does on the second is the listing", async () => {
    srv.handle((r, i) => {
      const total = i < 2 ? 5 : 4; // someone removed a member while the first reading paged
      return { body: modePage(two(pageOf(r)), { next: pageOf(r) === 1 ? "?page=2" : undefined, total }) };
    });
    assert.deepStrictEqual(await list(), { seen: ["tok10", "tok11", "tok20", "tok21"] });
    assert.strictEqual(srv.requests.length, 4);
  });

  it("a page with no list under _embedded while items remain fails after a second reading", async () => {
    srv.handle((r) =>
      pageOf(r) === 1
        ? { body: modePage(two(1), { next: "?page=2", total: 5 }) }
        : { body: { ...modePage([], { next: "?page=3", total: 5 }), _embedded: {} } },
    );
    const { seen, err } = await list();
    assert.deepStrictEqual(seen, []);
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(
      err.message,
      /the listing was read twice and still came up short \(2 of 5 memberships\): page 2 \(\/acme\/memberships\?page=2\) has no list under _embedded while 3 of 5 remain\. Nothing was decided/,
    );
    assert.strictEqual(srv.requests.length, 4, "page 3 is never asked for");
  });

  it("more items than total_count, or a total_count that changes, do not add up either", async () => {
    srv.handle((r) => ({
      body: modePage(two(pageOf(r)), { next: pageOf(r) === 1 ? "?page=2" : undefined, total: 3 }),
    }));
    const long = await list();
    assert.ok(long.err instanceof ApiError);
    assert.match(
      long.err.message,
      /read twice and still did not add up \(4 memberships read, total_count 3\): the pages held more memberships than total_count/,
    );
    srv.handle((r) => ({
      body: modePage(two(pageOf(r)), {
        next: pageOf(r) === 1 ? "?page=2" : undefined,
        total: pageOf(r) === 1 ? 4 : 5,
      }),
    }));
    const moving = await list();
    assert.ok(moving.err instanceof ApiError);
    assert.match(
      moving.err.message,
      /still came up short \(2 of 5 memberships\): total_count changed from 4 to 5 at page 2/,
    );
  });

  it("an invalid page fails at once, naming the field", async () => {
    const items = [membership(0), membership(1, { state: 7 })];
    srv.handle(() => ({ body: modePage(items) }));
    const { err } = await list();
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(err.message, /response field \/_embedded\/memberships\/1\/state must be string/);
    assert.strictEqual(srv.requests.length, 1);
  });

  it("an HTTP error on a later page fails the listing; nothing was yielded", async () => {
    srv.handle((r) =>
      pageOf(r) === 1
        ? { body: modePage(two(1), { next: "?page=2", total: 4 }) }
        : { status: 404, body: { id: "not_found", message: "Workspace not found." } },
    );
    const { seen, err } = await list();
    assert.deepStrictEqual(seen, []);
    assert.ok(err instanceof ApiError && err.kind === "not_found");
  });

  describe("the one array under _embedded, whatever its key", () => {
    const permissionsPage = compile<ModeListPage & { _embedded?: Record<string, { token: string }[]> }>({
      type: "object",
      properties: {
        _links: { type: "object" },
        pagination: { type: "object" },
        _embedded: {
          type: "object",
          additionalProperties: {
            type: "array",
            items: { type: "object", properties: { token: { type: "string" } }, required: ["token"] },
          },
        },
      },
      required: ["_links"],
    });
    const transport = () =>
      new Transport(
        "mode",
        { baseUrl: `${srv.origin}/api`, retry: { retries: 0 } },
        {
          authorization: "Basic x",
          accept: "application/hal+json",
          contentType: "application/json",
          secrets: [],
          errorMessage: () => undefined,
        },
      );
    const read = () =>
      readAll(
        transport(),
        modeList("permissions", { path: "/acme/spaces/s1/permissions" }, permissionsPage, theOneArray),
      );

    it("reads items under an undocumented key, page after page", async () => {
      srv.handle((r) =>
        pageOf(r) === 1
          ? { body: modePage([{ token: "p1" }], { key: "space_entitlements", next: "?page=2", total: 2 }) }
          : { body: modePage([{ token: "p2" }], { key: "whatever_next", total: 2 }) },
      );
      assert.deepStrictEqual(
        (await read()).map((p) => p.token),
        ["p1", "p2"],
      );
    });

    it("two lists under _embedded cannot be told apart: an error", async () => {
      srv.handle(() => ({ body: { ...modePage([]), _embedded: { a: [{ token: "p1" }], b: [] } } }));
      const err = await rejection(read());
      assert.ok(err instanceof ApiError && err.kind === "invalid_response");
      assert.match(
        err.message,
        /_embedded holds several lists \(a, b\); cannot tell which one holds the items/,
      );
    });
  });

  it("the organization-invites list is counted against meta.pagination.total_count the same way", async () => {
    const org = new OrgClient({ apiUrl: srv.origin, token: "orgtoken", retry: { retries: 0 } });
    const doc = (page: number, total: number) => ({
      data: [orgInvite(`i${page}`)],
      meta: { pagination: { page, per_page: 1, total_count: total, total_pages: 2 } },
      links: page < 2 ? { next: `${srv.origin}/api/v2/organizations/o1/invites?page=${page + 1}` } : {},
    });
    srv.handle((r) => ({ body: doc(pageOf(r), 2) }));
    assert.deepStrictEqual(
      (await collect(org.listInvites("o1"))).map((i) => i.id),
      ["i1", "i2"],
    );
    srv.handle((r) => ({ body: doc(pageOf(r), 3) }));
    srv.requests.length = 0;
    const err = await rejection(collect(org.listInvites("o1")));
    assert.ok(err instanceof ApiError && err.api === "org");
    assert.match(err.message, /read twice and still came up short \(2 of 3 organization invites\)/);
    assert.strictEqual(srv.requests.length, 4);
  });
});
