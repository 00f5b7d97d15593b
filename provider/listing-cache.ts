/**
 * One listing per collection per provider process, shared by every `diff`/`read` that needs it.
 * Concurrent callers for the same collection are coalesced onto a single request; a write to the
 * collection invalidates it, so the next reader lists again. A failed listing is not cached.
 */
export class ListingCache<T> {
  private readonly entries = new Map<string, Promise<T[]>>();

  /** Returns the cached listing of `key`, or loads it with `load` (once, however many callers). */
  get(key: string, load: () => AsyncIterable<T>): Promise<T[]> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const pending = collect(load()).catch((err: unknown) => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
      throw err;
    });
    this.entries.set(key, pending);
    return pending;
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
