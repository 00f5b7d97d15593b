/** One listing per collection, never paged across this process's own writes to it. */
import { strict as assert } from "node:assert";
import { ListingCache } from "../../provider/collections/listing-cache";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("listing cache", () => {
  it("a listing started in the same tick as a write waits for the write", async () => {
    const cache = new ListingCache();
    let writing = false;
    let pagedDuringWrite = false;
    const write = cache.write("k", async () => {
      writing = true;
      await sleep(20);
      writing = false;
    });
    const listing = cache.get("k", async function* () {
      pagedDuringWrite ||= writing;
      await sleep(5);
      pagedDuringWrite ||= writing;
      yield 1;
    });
    await Promise.all([write, listing]);
    assert.equal(pagedDuringWrite, false);
  });

  it("a write waits for the listing in progress, and for one that started as that one ended", async () => {
    const cache = new ListingCache();
    let writing = false;
    let pagedDuringWrite = false;
    const load = async function* (): AsyncGenerator<number> {
      pagedDuringWrite ||= writing;
      await sleep(10);
      pagedDuringWrite ||= writing;
      yield 1;
    };
    const first = cache.get("k", load);
    const write = cache.write("k", async () => {
      writing = true;
      await sleep(20);
      writing = false;
    });
    // A second listing starts the moment the first ends (its cache entry forgotten meanwhile).
    const second = first.then(() => {
      cache.invalidate("k");
      return cache.get("k", load);
    });
    await Promise.all([first, write, second]);
    assert.equal(pagedDuringWrite, false);
  });
});
