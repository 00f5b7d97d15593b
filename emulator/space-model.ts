/**
 * Mode space-membership rules (the deprecated `/{account}/spaces/{space}/memberships` endpoints):
 * find a space, list/find/create/delete its memberships. Throws {@link ApiError} for every refusal.
 */
import { activeGroupByToken } from "./group-model";
import { ApiError, isObject } from "./http";
import { Access, membershipOf } from "./mode-model";
import { Space, SpaceMembership, Store, Workspace, randomHex } from "./store";

/** Finds an active space of the workspace (a deleted one is gone for its sub-resources). @throws 404 */
export function findSpace(store: Store, ws: Workspace, token: string): Space {
  const s = store.data.spaces.find((x) => x.workspaceId === ws.id && x.token === token);
  if (!s || s.state !== "active") throw new ApiError(404, "not_found", "Space not found.");
  return s;
}

/** The space's memberships in list order. */
export function listSpaceMemberships(store: Store, space: Space): SpaceMembership[] {
  return store.data.spaceMemberships.filter((sm) => sm.spaceId === space.id);
}

/** Finds a space membership. @throws 404 */
export function findSpaceMembership(store: Store, space: Space, token: string): SpaceMembership {
  const sm = store.data.spaceMemberships.find((x) => x.spaceId === space.id && x.token === token);
  if (!sm) throw new ApiError(404, "not_found", "Space membership not found.");
  return sm;
}

/** Adds a user or group to a space. @throws 400, 404 */
export function createSpaceMembership(
  store: Store,
  access: Access,
  space: Space,
  body: unknown,
): SpaceMembership {
  const m = isObject(body) ? body.membership : undefined;
  if (!isObject(m)) throw new ApiError(400, "bad_request", "The body must contain a membership object.");
  const type = m.member_type;
  if (type !== "User" && type !== "UserGroup") {
    throw new ApiError(400, "bad_request", 'membership.member_type must be "User" or "UserGroup".');
  }
  const token = m.member_token;
  if (typeof token !== "string" || token === "") {
    throw new ApiError(400, "bad_request", "membership.member_token must be a non-empty string.");
  }
  let memberId: number | undefined;
  if (type === "User") {
    const u = store.data.users.find((x) => x.token === token);
    if (u && membershipOf(store, access.ws, u.id)) memberId = u.id;
  } else {
    memberId = activeGroupByToken(store, access.ws, token)?.id;
  }
  if (memberId === undefined)
    throw new ApiError(404, "not_found", `${type} ${token} not found in this workspace.`);
  if (listSpaceMemberships(store, space).some((x) => x.memberType === type && x.memberToken === token)) {
    throw new ApiError(400, "bad_request", `${type} ${token} is already a member of this space.`);
  }
  const sm: SpaceMembership = {
    token: randomHex(12),
    spaceId: space.id,
    memberType: type,
    memberToken: token,
    memberId,
    creatorId: access.cred.userId,
    createdAt: store.nowIso(),
  };
  store.data.spaceMemberships.push(sm);
  store.markDirty();
  return sm;
}

/** Removes a space membership. */
export function deleteSpaceMembership(store: Store, sm: SpaceMembership): void {
  store.data.spaceMemberships = store.data.spaceMemberships.filter((x) => x !== sm);
  store.markDirty();
}
