/**
 * This run's listing of a collection (the members of a workspace, of a space, the invites of an
 * organization), shared by every `diff`, `read`, `create` and `delete` that needs it, and the one
 * "create, or adopt what is already there" rule every resource uses.
 */
import { ApiError, isNotFound } from "./client";
import { providerContext } from "./context";
import type { ListingCache } from "./listing-cache";

/** One collection as this provider process sees it: listed once, re-listed after any write. */
export class Listing<T> {
  constructor(
    private readonly cache: ListingCache<T>,
    private readonly key: string,
    private readonly load: () => AsyncIterable<T>,
  ) {}

  /** Every object of the collection; an empty list when the collection itself is gone (404). */
  async all(): Promise<T[]> {
    try {
      return await this.cache.get(this.key, this.load);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** The first object matching `predicate`, or undefined when there is none (gone). */
  async find(predicate: (item: T) => boolean): Promise<T | undefined> {
    return (await this.all()).find(predicate);
  }

  /** Forgets the listing: the next reader lists again. */
  invalidate(): void {
    this.cache.invalidate(this.key);
  }

  /** Runs a write to the collection, never while a listing of it is being paged; forgets the listing after. */
  write<R>(run: () => Promise<R>): Promise<R> {
    return this.cache.write(this.key, run);
  }
}

/** What {@link createOrAdopt} produced: the object, and whether it existed before (adopted). */
export interface Adoption<T> {
  readonly object: T;
  readonly adopted: boolean;
}

/**
 * Creates an object; when the API refuses it as a duplicate (`validation`, i.e. 400/422) and
 * `existing` finds the object in a fresh listing, adopts that object instead. This covers objects
 * made outside Pulumi and attempts whose response was lost. Any other failure, or a refusal with
 * nothing to adopt, is thrown as it came. The listing is invalidated whatever happens, and the
 * object's key (`keyOf`) is recorded as placed by this run (see {@link deleteIfPresent}).
 */
export async function createOrAdopt<T, L>(
  listing: Listing<L>,
  keyOf: (object: T) => string,
  create: () => Promise<T>,
  existing: () => Promise<T | undefined>,
): Promise<Adoption<T>> {
  let result: Adoption<T>;
  try {
    result = { object: await listing.write(create), adopted: false };
  } catch (err) {
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    listing.invalidate();
    const found = await existing();
    if (found === undefined) throw err;
    result = { object: found, adopted: true };
  } finally {
    listing.invalidate();
  }
  providerContext().markPlaced(keyOf(result.object));
  return result;
}

/**
 * Runs a delete of the object `key`; a 404 means the object is already gone, which is what was
 * asked. An object that a create in this run produced or adopted is left alone: it belongs to the
 * replacement now (the engine can run the delete half of a replacement after its create).
 */
export async function deleteIfPresent<L>(
  listing: Listing<L>,
  key: string,
  remove: () => Promise<unknown>,
): Promise<void> {
  if (providerContext().wasPlaced(key)) return;
  try {
    await listing.write(remove);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
