/**
 * One listing per collection per provider process, shared by every `diff`/`read` that needs it.
 * Collections are keyed `<collection>/<parent…>` (e.g. `workspace-memberships/acme`). Concurrent
 * callers for the same collection are coalesced onto a single listing; a write to the collection
 * invalidates it, so the next reader lists again. A failed listing is not cached.
 *
 * Listings are paged by offset, so a listing paged while this process deletes from the same
 * collection can skip members (they move to an earlier page), and a skipped member would look
 * gone. So, per collection, a listing waits for the writes already in flight, and a write waits
 * for a listing in progress: no listing is ever paged across this process's own writes.
 */
export class ListingCache {
  private readonly entries = new Map<string, Promise<unknown[]>>();
  private readonly listing = new Map<string, Promise<unknown>>();
  private readonly writes = new Map<string, Set<Promise<unknown>>>();
  private readonly snapshots = new Map<string, unknown[]>();

  /**
   * Returns the cached listing of `key`, or loads it with `load` (once, however many callers). The
   * caller owns the key: every listing of one key has the same item type.
   */
  get<T>(key: string, load: () => AsyncIterable<T>): Promise<T[]> {
    const cached = this.entries.get(key) as Promise<T[]> | undefined;
    if (cached) return cached;
    const inFlight = [...(this.writes.get(key) ?? [])];
    const pending = Promise.allSettled(inFlight)
      .then(() => collect(load()))
      .then((items) => {
        this.snapshots.set(key, items);
        return items;
      })
      .catch((err: unknown) => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
        throw err;
      });
    this.entries.set(key, pending);
    const settled = pending.then(
      () => undefined,
      () => undefined,
    );
    this.listing.set(key, settled);
    void settled.then(() => {
      if (this.listing.get(key) === settled) this.listing.delete(key);
    });
    return pending;
  }

  /** Runs a write to the collection `key` once no listing of it is in progress; then forgets the listing. */
  async write<R>(key: string, run: () => Promise<R>): Promise<R> {
    // No yield between the last check and registering the write: a listing that starts in between
    // would not see it, and would page across it.
    for (let listing = this.listing.get(key); listing; listing = this.listing.get(key)) await listing;
    const writes = this.writes.get(key) ?? new Set<Promise<unknown>>();
    this.writes.set(key, writes);
    const pending = run();
    writes.add(pending);
    try {
      return await pending;
    } finally {
      writes.delete(pending);
      this.invalidate(key);
    }
  }

  /**
   * The last complete listing of `key` this process made, even after a write invalidated it (what
   * the collection held before this process's later writes), or undefined when it never listed it.
   */
  snapshot<T>(key: string): T[] | undefined {
    return this.snapshots.get(key) as T[] | undefined;
  }

  /** Whether `key` has a listing no write has invalidated (cached, or being read now). */
  isCurrent(key: string): boolean {
    return this.entries.has(key);
  }

  /** Forgets the listing of `key` (call after any write to that collection). */
  invalidate(key: string): void {
    this.entries.delete(key);
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
