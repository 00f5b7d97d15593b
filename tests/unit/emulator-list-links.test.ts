/**
 * The emulator's page links keep the request's other query parameters: the next page of
 * `GET /{ws}/spaces?filter=all` is still the `filter=all` listing (personal collections included).
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, listAll, req, type ModeListPage } from "../../testing/emulator-control";
import { startScript } from "../support/client-helpers";

describe("emulator list links", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;

  before(async () => {
    emu = await startEmulator({ port: 0, modePageSize: 2, seed: { spaces: 3, personalCollections: 3 } });
  });
  after(async () => {
    await emu?.close();
  });

  it("keeps filter=all (and per_page) in next links", async () => {
    const seed = emu.seed.mode;
    const auth = basic(seed.token, seed.secret);
    const base = `${emu.modeApiUrl}/${seed.workspace}/spaces`;
    const first = await req<ModeListPage<unknown>>("GET", `${base}?filter=all`, { auth });
    const next = (first.json._links.next_page ?? first.json._links.next)?.href ?? "";
    assert.match(next, /[?&]filter=all(&|$)/);
    const all = await listAll<{ token: string }>(`${base}?filter=all`, auth, "spaces");
    assert.ok(all.pages >= 3, `read ${all.pages} pages`);
    assert.equal(all.all.length, seed.spaces.length + seed.personalCollections.length);
    assert.equal(new Set(all.all.map((s) => s.token)).size, all.all.length);
    const sized = await req<ModeListPage<unknown>>("GET", `${base}?filter=all&per_page=1`, { auth });
    const sizedNext = (sized.json._links.next_page ?? sized.json._links.next)?.href ?? "";
    assert.match(sizedNext, /filter=all/);
    assert.match(sizedNext, /per_page=1/);
  });

  it("listAll, the tests' list reader, fails when the pages fall short of total_count", async () => {
    const srv = await startScript((r) => {
      const href = (query: string) => ({ href: `http://${r.headers.host ?? ""}/x${query}` });
      const second = r.url.includes("page=2");
      return {
        body: {
          _links: second ? { self: href("?page=2") } : { self: href(""), next_page: href("?page=2") },
          pagination: { first_page: "/x", last_page: "/x?page=2", total_pages: 2, total_count: 3 },
          _embedded: { items: second ? [] : [{ n: 1 }, { n: 2 }] },
        },
      };
    });
    try {
      await assert.rejects(
        listAll(`${srv.origin}/x`, "Basic x", "items"),
        /2 items over 2 pages, total_count 3/,
      );
    } finally {
      await srv.close();
    }
  });
});
