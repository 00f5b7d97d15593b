/**
 * Mode group rules (`/{workspace}/groups...`, API-CONTRACT.md "groups, collections and their
 * permissions"): names unique among active groups case-insensitively, soft delete, the
 * rename-before-delete quirk, SCIM-`managed` groups, group memberships and the counts a group reports.
 * Functions take the {@link Store} and throw {@link ApiError} for every refusal.
 */
import { forgetGroup } from "./access-cascade";
import { ApiError, isObject } from "./http";
import { Access, assertAdmin, membershipOf } from "./mode-model";
import { GroupMembership, ModeUser, Store, UserGroup, Workspace, randomHex } from "./store";

/** Longest accepted group name. */
export const MAX_GROUP_NAME = 255;

/** Counts a group reports, always computed from the data. */
export interface GroupCounts {
  /** Group memberships. */
  members: number;
  /** Collections the group holds a permission on. */
  spaces: number;
  /** Data sources the group holds a permission on. */
  dataSources: number;
}

/** Group names compare case-insensitively. */
export function sameGroupName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The workspace's active groups in list order (soft-deleted ones are left out). */
export function listGroups(store: Store, ws: Workspace): UserGroup[] {
  return store.data.userGroups.filter((g) => g.workspaceId === ws.id && g.state === "active");
}

/** Finds a group by token, active or soft-deleted (a GET reads both). @throws 404 */
export function findGroup(store: Store, ws: Workspace, token: string): UserGroup {
  const g = store.data.userGroups.find((x) => x.workspaceId === ws.id && x.token === token);
  if (!g) throw new ApiError(404, "not_found", "Group not found.");
  return g;
}

/** Finds an active group: a soft-deleted group can be read but not changed. @throws 404 */
export function findActiveGroup(store: Store, ws: Workspace, token: string): UserGroup {
  const g = findGroup(store, ws, token);
  if (g.state !== "active") throw new ApiError(404, "not_found", `Group ${g.token} was deleted.`);
  return g;
}

/** The active group with this token, if any (accessor and space-member lookups). */
export function activeGroupByToken(store: Store, ws: Workspace, token: string): UserGroup | undefined {
  return store.data.userGroups.find(
    (g) => g.workspaceId === ws.id && g.token === token && g.state === "active",
  );
}

/** The person a `member_token` names, who must be a member of the workspace (any state). @throws 404 */
export function workspaceMember(store: Store, ws: Workspace, token: string): ModeUser {
  const user = store.data.users.find((u) => u.token === token);
  if (!user || !membershipOf(store, ws, user.id)) {
    throw new ApiError(404, "not_found", `User ${token} is not a member of workspace ${ws.username}.`);
  }
  return user;
}

/** Counts of every group of the workspace, in one pass over the data. */
export function groupCounts(store: Store, ws: Workspace): Map<number, GroupCounts> {
  const d = store.data;
  const out = new Map<number, GroupCounts>();
  const byToken = new Map<string, GroupCounts>();
  for (const g of d.userGroups) {
    if (g.workspaceId !== ws.id) continue;
    const c: GroupCounts = { members: 0, spaces: 0, dataSources: 0 };
    out.set(g.id, c);
    byToken.set(g.token, c);
  }
  for (const gm of d.groupMemberships) {
    const c = out.get(gm.groupId);
    if (c) c.members++;
  }
  // One permission per (target, accessor), so counting grants counts distinct targets.
  for (const p of d.permissions) {
    if (p.workspaceId !== ws.id || p.accessorType !== "UserGroup") continue;
    const c = byToken.get(p.accessorToken);
    if (!c) continue;
    if (p.targetType === "space") c.spaces++;
    else c.dataSources++;
  }
  return out;
}

/** Refuses a change to a group the identity provider manages. @throws 400 */
export function assertUnmanaged(g: UserGroup, change: string): void {
  if (g.managed) {
    throw new ApiError(
      400,
      "bad_request",
      `Group ${g.name} is managed by your identity provider (SCIM): ${change} only through the identity provider.`,
    );
  }
}

/** Validated `{"user_group": {"name", "description"?}}`. */
interface GroupInput {
  /** New name (required on create). */
  name?: string;
  /** New description. */
  description?: string;
}

/** Validates a create (`nameRequired`) or rename body. @throws 400 */
export function parseGroupBody(body: unknown, nameRequired: boolean): GroupInput {
  const g = isObject(body) ? body.user_group : undefined;
  if (!isObject(g)) throw new ApiError(400, "bad_request", "The body must contain a user_group object.");
  const out: GroupInput = {};
  if (g.name !== undefined || nameRequired) {
    if (typeof g.name !== "string" || g.name.trim() === "") {
      throw new ApiError(400, "bad_request", "user_group.name must be a non-empty string.");
    }
    if (g.name.length > MAX_GROUP_NAME) {
      throw new ApiError(400, "bad_request", `user_group.name must be at most ${MAX_GROUP_NAME} characters.`);
    }
    out.name = g.name.trim();
  }
  if (g.description !== undefined) {
    if (typeof g.description !== "string") {
      throw new ApiError(400, "bad_request", "user_group.description must be a string.");
    }
    out.description = g.description;
  }
  return out;
}

/** Refuses a name another active group of the workspace has (case-insensitively). @throws 400 */
function assertNameFree(store: Store, ws: Workspace, name: string, self?: UserGroup): void {
  if (listGroups(store, ws).some((g) => g !== self && sameGroupName(g.name, name))) {
    throw new ApiError(400, "bad_request", `A group named ${name} already exists in this workspace.`);
  }
}

/** Creates a `custom` group. @throws 403, 400 */
export function createGroup(store: Store, access: Access, body: unknown): UserGroup {
  assertAdmin(access, "manage groups");
  const input = parseGroupBody(body, true);
  const name = input.name ?? "";
  assertNameFree(store, access.ws, name);
  const g: UserGroup = {
    id: store.nextId(),
    token: randomHex(12),
    workspaceId: access.ws.id,
    name,
    description: input.description ?? "",
    groupType: "custom",
    state: "active",
    managed: false,
    creatorId: access.cred.userId,
    createdAt: store.nowIso(),
  };
  store.data.userGroups.push(g);
  store.markDirty();
  return g;
}

/** Renames (and/or describes) an active, unmanaged group. @throws 403, 400 */
export function updateGroup(store: Store, access: Access, g: UserGroup, body: unknown): UserGroup {
  assertAdmin(access, "manage groups");
  const input = parseGroupBody(body, false);
  assertUnmanaged(g, "it is renamed");
  if (input.name !== undefined) {
    assertNameFree(store, access.ws, input.name, g);
    g.name = input.name;
  }
  if (input.description !== undefined) g.description = input.description;
  store.markDirty();
  return g;
}

/**
 * Deletes a group through the API: marks it `soft_deleted` and removes its permissions. Already
 * soft-deleted: nothing changes. The quirk kept on purpose: when a group deleted earlier had the same
 * name (case-insensitively), nothing changes either and the group stays `active` (the answer is still
 * 200). @throws 403, 400 (managed)
 */
export function deleteGroup(store: Store, access: Access, g: UserGroup): UserGroup {
  assertAdmin(access, "manage groups");
  if (g.state !== "active") return g;
  assertUnmanaged(g, "it is deleted");
  const shadowed = store.data.userGroups.some(
    (x) =>
      x !== g &&
      x.workspaceId === g.workspaceId &&
      x.state === "soft_deleted" &&
      sameGroupName(x.name, g.name),
  );
  if (!shadowed) softDeleteGroup(store, g);
  return g;
}

/** Marks a group `soft_deleted` and removes its grants (no caller rules: the API and the control share it). */
export function softDeleteGroup(store: Store, g: UserGroup): void {
  g.state = "soft_deleted";
  forgetGroup(store, g);
  store.markDirty();
}

/** The group's memberships in list order. */
export function listGroupMemberships(store: Store, g: UserGroup): GroupMembership[] {
  return store.data.groupMemberships.filter((gm) => gm.groupId === g.id);
}

/** Finds a group membership by its token. @throws 404 */
export function findGroupMembership(store: Store, g: UserGroup, token: string): GroupMembership {
  const gm = store.data.groupMemberships.find((x) => x.groupId === g.id && x.token === token);
  if (!gm) throw new ApiError(404, "not_found", "Group membership not found.");
  return gm;
}

/** The membership of a person in a group, if any. */
export function groupMembershipOf(store: Store, g: UserGroup, userId: number): GroupMembership | undefined {
  return store.data.groupMemberships.find((x) => x.groupId === g.id && x.userId === userId);
}

/** Adds a person to a group without the API's caller rules (the control interface's identity provider). */
export function addGroupMember(
  store: Store,
  g: UserGroup,
  user: ModeUser,
  creatorId: number | null,
): GroupMembership {
  const gm: GroupMembership = {
    token: randomHex(12),
    groupId: g.id,
    userId: user.id,
    memberToken: user.token,
    creatorId,
    createdAt: store.nowIso(),
  };
  store.data.groupMemberships.push(gm);
  store.markDirty();
  return gm;
}

/** Adds a workspace member to an active, unmanaged group. @throws 403, 400, 404 */
export function createGroupMembership(
  store: Store,
  access: Access,
  g: UserGroup,
  body: unknown,
): GroupMembership {
  assertAdmin(access, "manage groups");
  const m = isObject(body) ? body.membership : undefined;
  if (!isObject(m)) throw new ApiError(400, "bad_request", "The body must contain a membership object.");
  const token = m.member_token;
  if (typeof token !== "string" || token === "") {
    throw new ApiError(400, "bad_request", "membership.member_token must be a non-empty string.");
  }
  assertUnmanaged(g, "members are added");
  const user = workspaceMember(store, access.ws, token);
  if (groupMembershipOf(store, g, user.id)) {
    throw new ApiError(400, "bad_request", `User ${token} is already a member of group ${g.name}.`);
  }
  return addGroupMember(store, g, user, access.cred.userId);
}

/** Removes a member from an unmanaged group. @throws 403, 400 */
export function deleteGroupMembership(store: Store, access: Access, g: UserGroup, gm: GroupMembership): void {
  assertAdmin(access, "manage groups");
  assertUnmanaged(g, "members are removed");
  removeGroupMember(store, gm);
}

/** Removes a group membership without the API's caller rules. */
export function removeGroupMember(store: Store, gm: GroupMembership): void {
  store.data.groupMemberships = store.data.groupMemberships.filter((x) => x !== gm);
  store.markDirty();
}
