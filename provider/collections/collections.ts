/**
 * The collections (`spaces`) of a Mode workspace (`/{workspace}/spaces`): this run's listing (custom
 * collections and the credentials' own personal one; with `filter=all` every member's personal
 * collection on demand), finding one by token or by name, creating one (adopting an active custom
 * collection of that name), updating and deleting one, with Mode's rules checked:
 * - names are not unique and a create has no idempotency key, so a create first looks for an active
 *   custom collection of that name, and tags what it creates with a one-time marker in the
 *   description until it has listed the result: every collection carrying the marker is this
 *   create's, so extra copies that retried attempts made (a response lost after Mode stored the
 *   collection) are deleted, and one whose response never came is found;
 * - after a delete, the collection's own path answers 403 (not 404): a 403 on a collection is
 *   checked against the listing before it is called an error.
 * Object ids within the collection are collection tokens.
 */
import { randomBytes } from "node:crypto";
import { ApiError, isNotFound, type Space, type SpaceInput, type SpaceUpdate } from "../client";
import { providerContext } from "../context";
import type { Adoption, Listing } from "./listing";

/**
 * This run's listing of the workspace's collections as Mode lists them without a filter: custom
 * collections (and the credentials' user's own personal collection). Deleted ones are left out.
 */
export function collections(workspace: string): Listing<Space> {
  const context = providerContext();
  return context.listing(`collections/${workspace}`, () =>
    activeOnly(context.modeApi().listSpaces(workspace)),
  );
}

/** This run's listing of every collection of the workspace, every member's personal one included (`filter=all`). */
export function allCollections(workspace: string): Listing<Space> {
  const context = providerContext();
  return context.listing(`collections-all/${workspace}`, () =>
    activeOnly(context.modeApi().listSpaces(workspace, { filter: "all" })),
  );
}

/** True for a collection made by people (or this package), as opposed to a member's personal one. */
export function isCustomCollection(space: Space): boolean {
  return space.space_type === "custom";
}

/** The collection `token`, from this run's listing (custom collections); undefined when gone. */
export function findCollection(workspace: string, token: string): Promise<Space | undefined> {
  return collections(workspace).find((space) => space.token === token);
}

/** The active custom collections named exactly `name` (names are not unique), from this run's listing. */
export async function findCollectionsByName(workspace: string, name: string): Promise<Space[]> {
  return (await collections(workspace).all()).filter(
    (space) => isCustomCollection(space) && space.name.trim() === name.trim(),
  );
}

/**
 * The collection `token` read now (`GET`, not the listing). Undefined when it is gone: 404,
 * `soft_deleted`, or Mode's 403 for a deleted collection (a fresh listing with `filter=all` no longer
 * has it). A 403 on a collection that is still listed is thrown as it came.
 */
export async function readCollection(workspace: string, token: string): Promise<Space | undefined> {
  try {
    const space = await providerContext().modeApi().getSpace(workspace, token);
    return space.state === "soft_deleted" ? undefined : space;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    if (await isDeletedCollection(workspace, token, err)) return undefined;
    throw err;
  }
}

/**
 * The collection `token` from this run's listing, or read now when the listing does not have it
 * (another member's personal collection); undefined when it is gone.
 */
export async function lookupCollection(workspace: string, token: string): Promise<Space | undefined> {
  return (await findCollection(workspace, token)) ?? (await readCollection(workspace, token));
}

/**
 * A collection's default access level as Mode reports it; from `restricted` when Mode does not say
 * (`restricted` or `unrestricted`, which no declared level equals).
 */
export function defaultAccessOf(space: Space): string {
  return space.default_access_level ?? (space.restricted ? "restricted" : "unrestricted");
}

/**
 * How a reason line or an error names a collection: `collection "Finance" of acme`, or
 * `collection <token> of acme` when this run's listing does not have it (never a request of its own
 * beyond the listing).
 */
export async function describeCollection(workspace: string, token: string): Promise<string> {
  const found = await findCollection(workspace, token);
  return found ? `collection "${found.name}" of ${workspace}` : `collection ${token} of ${workspace}`;
}

/**
 * Records that a create of this run set (or took charge of) the collection's default access level:
 * the delete half of a replacement in the same run must not put back an older level.
 */
export function markDefaultAccessPlaced(workspace: string, token: string): void {
  collections(workspace).markPlaced(`${token}#default-access`);
}

/** True when a create of this run set (or took charge of) the collection's default access level. */
export function wasDefaultAccessPlaced(workspace: string, token: string): boolean {
  return collections(workspace).wasPlaced(`${token}#default-access`);
}

/** What a collection should be: its name, and the description and default access level when declared. */
export type CollectionSpec = SpaceInput;

/**
 * Creates the collection `spec.name`, or adopts the active custom collection of that name (`adopted`
 * true), then sets the declared description and default access level on it when they differ. Two or
 * more collections of that name fail: pulumi-mode cannot tell which one is meant. Records the
 * collection as placed by this run.
 */
export async function createCollection(workspace: string, spec: CollectionSpec): Promise<Adoption<Space>> {
  const listing = collections(workspace);
  const found = await withoutCopies(workspace, await findCollectionsByName(workspace, spec.name));
  if (found.length > 1) {
    throw new Error(
      `${found.length} collections of ${workspace} are named "${spec.name}" (${found.map((s) => s.token).join(", ")}), ` +
        "so pulumi-mode cannot tell which one to adopt (Mode's collection names are not unique). Rename " +
        "all but one in Mode, or declare another name, and run `pulumi up` again.",
    );
  }
  const existing = found[0];
  if (existing) {
    listing.markPlaced(existing.token);
    return { object: await conform(workspace, existing, spec), adopted: true };
  }
  const created = await createTagged(workspace, spec);
  listing.markPlaced(created.token);
  return { object: created, adopted: false };
}

/** Records that the collection `token` belongs to a resource created in this run. */
export function markCollectionPlaced(workspace: string, token: string): void {
  collections(workspace).markPlaced(token);
}

/**
 * Changes the given fields of the collection `token` (`PATCH`). A collection deleted outside Pulumi
 * (Mode's 403 on a deleted collection, or 404) fails saying so.
 */
export async function updateCollection(
  workspace: string,
  token: string,
  update: SpaceUpdate,
): Promise<Space> {
  try {
    return await writeCollections(workspace, () =>
      providerContext().modeApi().updateSpace(workspace, token, update),
    );
  } catch (err) {
    if (isNotFound(err) || (await isDeletedCollection(workspace, token, err))) {
      throw new Error(
        `Collection ${token} of ${workspace} no longer exists (it was deleted outside Pulumi). Run ` +
          "`pulumi refresh` to forget it, then `pulumi up` to create it again.",
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Deletes the collection `token`. Already gone is success (404, or Mode's 403 for a deleted
 * collection once a fresh listing confirms it is gone), and so is a collection a create of this run
 * placed. Any other refusal is thrown as it came (a 403 on a collection still listed: these
 * credentials may not delete it).
 */
export async function deleteCollection(workspace: string, token: string): Promise<void> {
  if (collections(workspace).wasPlaced(token)) return;
  try {
    await writeCollections(workspace, () => providerContext().modeApi().deleteSpace(workspace, token));
  } catch (err) {
    if (isNotFound(err) || (await isDeletedCollection(workspace, token, err))) return;
    throw err;
  }
}

/** A write to the workspace's collections: both listings (with and without `filter=all`) are forgotten. */
function writeCollections<R>(workspace: string, run: () => Promise<R>): Promise<R> {
  allCollections(workspace).invalidate();
  return collections(workspace)
    .write(run)
    .finally(() => allCollections(workspace).invalidate());
}

/** True when `err` is Mode's 403 for a deleted collection: a fresh `filter=all` listing no longer has it. */
async function isDeletedCollection(workspace: string, token: string, err: unknown): Promise<boolean> {
  if (!(err instanceof ApiError) || err.kind !== "forbidden") return false;
  const listing = allCollections(workspace);
  listing.invalidate();
  return (await listing.find((space) => space.token === token)) === undefined;
}

/** The marker a create puts in the description until it has listed the result (see the file's comment). */
const MARKER = /\s*\[pulumi-mode create [0-9a-f]{12}\]$/;

/**
 * Creates the collection with a one-time marker in its description, lists the workspace, deletes any
 * other collection carrying the marker (copies made by retried attempts), and sets the declared
 * description. A create whose response was lost but whose collection exists returns that collection.
 */
async function createTagged(workspace: string, spec: CollectionSpec): Promise<Space> {
  const api = providerContext().modeApi();
  const marker = `[pulumi-mode create ${randomBytes(6).toString("hex")}]`;
  const description = spec.description ? `${spec.description}\n\n${marker}` : marker;
  let created: Space | undefined;
  let failure: unknown;
  try {
    created = await writeCollections(workspace, () => api.createSpace(workspace, { ...spec, description }));
  } catch (err) {
    failure = err;
  }
  const tagged = (await collections(workspace).all()).filter((space) => space.description.endsWith(marker));
  const keep = created ?? oldestFirst(tagged)[0];
  if (keep === undefined) throw failure;
  for (const copy of tagged) {
    if (copy.token !== keep.token) await deleteCollection(workspace, copy.token);
  }
  return updateCollection(workspace, keep.token, { description: spec.description ?? "" });
}

/**
 * The collections of one name, less the extra copies an interrupted create left (all carrying the
 * same marker: the oldest is kept, the others deleted).
 */
async function withoutCopies(workspace: string, named: Space[]): Promise<Space[]> {
  const markers = new Set(named.map((space) => MARKER.exec(space.description)?.[0].trim()));
  if (named.length < 2 || markers.size !== 1 || markers.has(undefined)) return named;
  const [oldest, ...copies] = oldestFirst(named);
  for (const copy of copies) await deleteCollection(workspace, copy.token);
  return oldest ? [oldest] : [];
}

/**
 * Sets the declared description and default access level on an adopted collection when they differ,
 * and removes a marker an interrupted create left in its description.
 */
async function conform(workspace: string, live: Space, spec: CollectionSpec): Promise<Space> {
  const update: SpaceUpdate = {};
  const cleaned = live.description.replace(MARKER, "");
  const description = spec.description ?? cleaned;
  if (description !== live.description) update.description = description;
  if (spec.defaultAccessLevel !== undefined && spec.defaultAccessLevel !== live.default_access_level)
    update.defaultAccessLevel = spec.defaultAccessLevel;
  return Object.keys(update).length === 0 ? live : updateCollection(workspace, live.token, update);
}

/** The collections by id, oldest first. */
function oldestFirst(spaces: readonly Space[]): Space[] {
  return [...spaces].sort((a, b) => Number(a.id) - Number(b.id));
}

async function* activeOnly(all: AsyncIterable<Space>): AsyncIterableIterator<Space> {
  for await (const space of all) if (space.state !== "soft_deleted") yield space;
}
