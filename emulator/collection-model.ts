/**
 * Mode collection rules (`/{workspace}/spaces...`, API-CONTRACT.md "groups, collections and their
 * permissions"): listing with and without `filter=all`, create, update, delete (soft; the
 * collection's own path then answers 403) and a `restricted` flag that follows the default access
 * level. The objects are the same spaces the deprecated space-membership endpoints use. Functions
 * take the {@link Store} and throw {@link ApiError} for every refusal.
 */
import { forgetTarget } from "./access-cascade";
import { ApiError, isObject } from "./http";
import { Access, assertAdmin } from "./mode-model";
import { AccessLevel, ModeUser, Space, Store, Workspace, randomHex } from "./store";

/** Default access levels a collection accepts. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ["restricted", "view", "edit"];
/** Default access level of a collection created without one. */
export const DEFAULT_ACCESS_LEVEL: AccessLevel = "view";
/** Longest accepted collection name. */
export const MAX_SPACE_NAME = 255;

/**
 * The workspace's collections in list order. Deleted ones are left out; so are other users'
 * personal collections unless `all` (`?filter=all`). A Workspace API token has no user of its own:
 * every personal collection is another user's. Decision: the emulator does not hide restricted
 * collections from members without a grant (every caller here is an admin or a Workspace API token).
 */
export function listCollections(store: Store, access: Access, all: boolean): Space[] {
  const me = access.cred.userId;
  return store.data.spaces.filter(
    (s) =>
      s.workspaceId === access.ws.id &&
      s.state === "active" &&
      (all || s.spaceType !== "personal" || (me !== null && s.creatorId === me)),
  );
}

/** Parses `?filter=`: absent → own collections only, `all` → every one. @throws 400 */
export function parseFilter(query: URLSearchParams): boolean {
  const f = query.get("filter");
  if (f === null) return false;
  if (f === "all") return true;
  throw new ApiError(
    400,
    "bad_request",
    `Unknown filter ${f}: the only filter is "all".`,
    undefined,
    "filter",
  );
}

/**
 * Finds a collection for its own path (`/{workspace}/spaces/{space}`). The quirk kept on purpose: a
 * deleted collection answers 403, not 404. @throws 404, 403
 */
export function findCollection(store: Store, ws: Workspace, token: string): Space {
  const s = store.data.spaces.find((x) => x.workspaceId === ws.id && x.token === token);
  if (!s) throw new ApiError(404, "not_found", "Space not found.");
  if (s.state !== "active") {
    throw new ApiError(403, "forbidden", "You do not have permission to access this collection.");
  }
  return s;
}

/** Validated `{"space": {"name", "description", "default_access_level"}}`. */
interface SpaceInput {
  /** Name (required on create). */
  name?: string;
  /** Description. */
  description?: string;
  /** Default access level. */
  defaultAccessLevel?: AccessLevel;
}

/** Validates a create (`nameRequired`) or update body. @throws 400 */
export function parseSpaceBody(body: unknown, nameRequired: boolean): SpaceInput {
  const s = isObject(body) ? body.space : undefined;
  if (!isObject(s)) throw new ApiError(400, "bad_request", "The body must contain a space object.");
  const out: SpaceInput = {};
  if (s.name !== undefined || nameRequired) {
    if (typeof s.name !== "string" || s.name.trim() === "") {
      throw new ApiError(400, "bad_request", "space.name must be a non-empty string.");
    }
    if (s.name.length > MAX_SPACE_NAME) {
      throw new ApiError(400, "bad_request", `space.name must be at most ${MAX_SPACE_NAME} characters.`);
    }
    out.name = s.name.trim();
  }
  if (s.description !== undefined && s.description !== null) {
    if (typeof s.description !== "string") {
      throw new ApiError(400, "bad_request", "space.description must be a string.");
    }
    out.description = s.description;
  }
  if (s.default_access_level !== undefined) {
    const level = s.default_access_level;
    if (typeof level !== "string" || !(ACCESS_LEVELS as readonly string[]).includes(level)) {
      throw new ApiError(
        400,
        "bad_request",
        `space.default_access_level must be one of ${ACCESS_LEVELS.join(", ")}.`,
      );
    }
    out.defaultAccessLevel = level as AccessLevel;
  }
  return out;
}

/** Creates a `custom` collection; any active member may. @throws 400 */
export function createCollection(store: Store, access: Access, body: unknown): Space {
  const input = parseSpaceBody(body, true);
  const s: Space = {
    id: store.nextId(),
    token: randomHex(12),
    workspaceId: access.ws.id,
    name: input.name ?? "",
    description: input.description ?? "",
    spaceType: "custom",
    state: "active",
    defaultAccessLevel: input.defaultAccessLevel ?? DEFAULT_ACCESS_LEVEL,
    creatorId: access.cred.userId,
    createdAt: store.nowIso(),
  };
  store.data.spaces.push(s);
  store.markDirty();
  return s;
}

/** Only an admin or the collection's creator may change or delete it; a personal one never. @throws 403, 400 */
function assertCanChange(access: Access, s: Space, change: string): void {
  if (s.spaceType === "personal") {
    throw new ApiError(400, "bad_request", `A personal collection cannot be ${change}.`);
  }
  if (access.cred.userId === null || s.creatorId !== access.cred.userId) {
    assertAdmin(access, `${change === "deleted" ? "delete" : "change"} collections they did not create`);
  }
}

/** Updates name, description and/or default access level (PATCH, or POST to the same path). @throws 403, 400 */
export function updateCollection(store: Store, access: Access, s: Space, body: unknown): Space {
  const input = parseSpaceBody(body, false);
  assertCanChange(access, s, "changed");
  if (input.name !== undefined) s.name = input.name;
  if (input.description !== undefined) s.description = input.description;
  if (input.defaultAccessLevel !== undefined) s.defaultAccessLevel = input.defaultAccessLevel;
  store.markDirty();
  return s;
}

/** Deletes a collection: marks it `soft_deleted` and removes its permissions and space memberships. @throws 403, 400 */
export function deleteCollection(store: Store, access: Access, s: Space): Space {
  assertCanChange(access, s, "deleted");
  s.state = "soft_deleted";
  forgetTarget(store, "space", s.id);
  return s;
}

/** A member's personal collection, created (restricted) when missing (control interface). */
export function ensurePersonalCollection(store: Store, ws: Workspace, user: ModeUser): Space {
  const existing = store.data.spaces.find(
    (s) =>
      s.workspaceId === ws.id &&
      s.spaceType === "personal" &&
      s.creatorId === user.id &&
      s.state === "active",
  );
  if (existing) return existing;
  const s: Space = {
    id: store.nextId(),
    token: randomHex(12),
    workspaceId: ws.id,
    name: "Personal",
    description: `${user.username}'s personal collection.`,
    spaceType: "personal",
    state: "active",
    defaultAccessLevel: "restricted",
    creatorId: user.id,
    createdAt: store.nowIso(),
  };
  store.data.spaces.push(s);
  store.markDirty();
  return s;
}
