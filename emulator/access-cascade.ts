/**
 * What goes with a person, a group or a collection when it goes (API-CONTRACT.md, "groups,
 * collections and their permissions"): removing someone from the workspace removes their group
 * memberships and every permission granted to them; deleting a group removes its permissions (and its
 * deprecated space memberships); deleting a collection removes its permissions and space memberships.
 * A leaf module (it imports only the store's types), so the workspace-membership model can call it.
 */
import { ModeUser, PermissionTarget, Store, UserGroup } from "./store";

/** Removes a person's group memberships and permissions in one workspace. */
export function forgetMember(store: Store, workspaceId: number, user: ModeUser): void {
  const d = store.data;
  const groupIds = new Set(d.userGroups.filter((g) => g.workspaceId === workspaceId).map((g) => g.id));
  d.groupMemberships = d.groupMemberships.filter(
    (gm) => !(groupIds.has(gm.groupId) && gm.userId === user.id),
  );
  d.permissions = d.permissions.filter(
    (p) => !(p.workspaceId === workspaceId && p.accessorType === "Account" && p.accessorToken === user.token),
  );
  store.markDirty();
}

/** Removes every grant to a group: its permissions and its space memberships. */
export function forgetGroup(store: Store, group: UserGroup): void {
  const d = store.data;
  const spaceIds = new Set(d.spaces.filter((s) => s.workspaceId === group.workspaceId).map((s) => s.id));
  d.permissions = d.permissions.filter(
    (p) =>
      !(
        p.workspaceId === group.workspaceId &&
        p.accessorType === "UserGroup" &&
        p.accessorToken === group.token
      ),
  );
  d.spaceMemberships = d.spaceMemberships.filter(
    (sm) => !(spaceIds.has(sm.spaceId) && sm.memberType === "UserGroup" && sm.memberToken === group.token),
  );
  store.markDirty();
}

/** Removes every grant on a collection or data source (and a collection's space memberships). */
export function forgetTarget(store: Store, targetType: PermissionTarget, targetId: number): void {
  const d = store.data;
  d.permissions = d.permissions.filter((p) => !(p.targetType === targetType && p.targetId === targetId));
  if (targetType === "space") d.spaceMemberships = d.spaceMemberships.filter((sm) => sm.spaceId !== targetId);
  store.markDirty();
}
