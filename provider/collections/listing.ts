/**
 * This run's view of one remote collection (the members of a workspace, of a space, the invites of
 * an organization…), shared by every `diff`, `read`, `create` and `delete` that needs it, with the
 * two rules every collection's layer builds on: "create, or adopt what is already there"
 * ({@link createOrAdopt}) and "delete, where gone is success" ({@link deleteIfPresent}).
 *
 * One key convention: a collection is `<collection>/<parent…>` (its listing's key), and one object
 * of it is `<collection>/<parent…>/<id>`, where `id` is what identifies the object within the
 * collection (a lower-cased username, a membership token, an invite id). That object key is what
 * "placed by this run" records.
 */
import { ApiError, isNotFound } from "../client";
import type { ListingCache } from "./listing-cache";

/** The objects a create of this run produced or adopted, by object key (see the file's comment). */
export class PlacedObjects {
  private readonly keys = new Set<string>();

  /** Records that a create in this run produced or adopted the object `key`. */
  mark(key: string): void {
    this.keys.add(key);
  }

  /** True when a create in this run produced or adopted the object `key`. */
  has(key: string): boolean {
    return this.keys.has(key);
  }
}

/** One collection as this provider process sees it: listed once, re-listed after any write. */
export class Listing<T> {
  constructor(
    /** The collection's key, `<collection>/<parent…>`. */
    readonly key: string,
    private readonly cache: ListingCache,
    private readonly placed: PlacedObjects,
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

  /**
   * The first object matching `predicate`. When this run's listing has none, the collection is listed
   * again once (the object may have been made since it was read, e.g. by another process) before
   * concluding that there is none: for a create that must find what it builds on.
   */
  async findCurrent(predicate: (item: T) => boolean): Promise<T | undefined> {
    const found = await this.find(predicate);
    if (found !== undefined) return found;
    this.invalidate();
    return this.find(predicate);
  }

  /**
   * The last complete listing this process made of the collection, even if writes have invalidated
   * it since; undefined when it never listed it. Never a request.
   */
  snapshot(): T[] | undefined {
    return this.cache.snapshot<T>(this.key);
  }

  /**
   * True when looking in the listing costs at most one read in this run: a listing no write has
   * invalidated, or none made yet (the first one is shared by every caller).
   */
  isCurrentOrUnlisted(): boolean {
    return this.cache.isCurrent(this.key) || this.cache.snapshot(this.key) === undefined;
  }

  /** Forgets the listing: the next reader lists again. */
  invalidate(): void {
    this.cache.invalidate(this.key);
  }

  /** Runs a write to the collection, never while a listing of it is being paged; forgets the listing after. */
  write<R>(run: () => Promise<R>): Promise<R> {
    return this.cache.write(this.key, run);
  }

  /**
   * Records that a create in this run produced or adopted the object `id`: it belongs to the
   * resource being created now.
   */
  markPlaced(id: string): void {
    this.placed.mark(`${this.key}/${id}`);
  }

  /**
   * True when a create in this run produced or adopted the object `id`. The delete half of a
   * replacement that runs after its create (the engine does so when resuming an interrupted
   * delete-before-replace) must then leave the object to its new owner.
   */
  wasPlaced(id: string): boolean {
    return this.placed.has(`${this.key}/${id}`);
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
 * nothing to adopt, is thrown as it came. The object (its id within the collection: `idOf`) is
 * recorded as placed by this run (see {@link deleteIfPresent}).
 */
export async function createOrAdopt<T, L>(
  listing: Listing<L>,
  idOf: (object: T) => string,
  create: () => Promise<T>,
  existing: () => Promise<T | undefined>,
  options: { adoptListedFirst?: boolean } = {},
): Promise<Adoption<T>> {
  let result: Adoption<T>;
  if (options.adoptListedFirst && listing.isCurrentOrUnlisted()) {
    const found = await existing();
    if (found !== undefined) {
      listing.markPlaced(idOf(found));
      return { object: found, adopted: true };
    }
  }
  try {
    result = { object: await listing.write(create), adopted: false };
  } catch (err) {
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    listing.invalidate();
    const found = await existing();
    if (found === undefined) throw err;
    result = { object: found, adopted: true };
  }
  listing.markPlaced(idOf(result.object));
  return result;
}

/**
 * Runs a delete of the object `id` of the collection; a 404 means the object is already gone, which
 * is what was asked. An object that a create in this run produced or adopted is left alone: it
 * belongs to the replacement now (the engine can run the delete half of a replacement after its
 * create).
 */
export async function deleteIfPresent<L>(
  listing: Listing<L>,
  id: string,
  remove: () => Promise<unknown>,
): Promise<void> {
  if (listing.wasPlaced(id)) return;
  try {
    await listing.write(remove);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
