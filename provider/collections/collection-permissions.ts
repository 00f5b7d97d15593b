/**
 * Who may open a Mode collection (`/{workspace}/spaces/{space}/permissions`): this run's listing of
 * its grants, finding one by accessor or token, granting (adopting a grant to the same accessor and
 * setting the declared action), changing an action and revoking (gone is success). `view` or `edit`,
 * to a member (`Account`, by user token) or a group (`UserGroup`, by group token). The list's key is
 * documented nowhere: the client reads the one array under `_embedded`. Object ids within the
 * collection are permission tokens.
 */
import type { Permission } from "../client";
import type { CollectionAction } from "../rules";
import type { Accessor } from "./accessors";
import type { Adoption, Listing } from "./listing";
import { Permissions } from "./permissions";

/** Where a collection is: its workspace and its token. */
export interface CollectionRef {
  readonly workspace: string;
  readonly collection: string;
}

const permissions = new Permissions<CollectionAction>({
  collection: "collection-permissions",
  listOn5xx: false,
  list: (api, workspace, space) => api.listSpacePermissions(workspace, space),
  get: (api, workspace, space, token) => api.getSpacePermission(workspace, space, token),
  create: (api, workspace, space, input) => api.createSpacePermission(workspace, space, input),
  update: (api, workspace, space, token, action) =>
    api.updateSpacePermission(workspace, space, token, { action }),
  remove: (api, workspace, space, token) => api.deleteSpacePermission(workspace, space, token),
});

/** This run's listing of the collection's grants (empty when the collection is gone). */
export function collectionPermissions(at: CollectionRef): Listing<Permission> {
  return permissions.listing(at.workspace, at.collection);
}

/** The grant to `accessor` on the collection, from this run's listing; undefined when none. */
export function findCollectionPermission(
  at: CollectionRef,
  accessor: Accessor,
): Promise<Permission | undefined> {
  return permissions.findByAccessor(at.workspace, at.collection, accessor);
}

/** The grant `token` of the collection, from this run's listing; undefined when gone. */
export function findCollectionPermissionByToken(
  at: CollectionRef,
  token: string,
): Promise<Permission | undefined> {
  return permissions.findByToken(at.workspace, at.collection, token);
}

/** The grant `token` read now (`GET`); undefined when gone (404). */
export function readCollectionPermission(at: CollectionRef, token: string): Promise<Permission | undefined> {
  return permissions.read(at.workspace, at.collection, token);
}

/**
 * Grants `action` on the collection to `accessor`; an existing grant to the same accessor is adopted
 * and set to `action`. Records the grant as placed by this run.
 */
export function grantCollectionPermission(
  at: CollectionRef,
  accessor: Accessor,
  action: CollectionAction,
): Promise<Adoption<Permission>> {
  return permissions.grant(at.workspace, at.collection, accessor, action);
}

/** Records that the grant `token` belongs to a resource created in this run. */
export function markCollectionPermissionPlaced(at: CollectionRef, token: string): void {
  permissions.markPlaced(at.workspace, at.collection, token);
}

/** Changes the action of the grant `token` (`PATCH`); throws ApiError not_found when it is gone. */
export function setCollectionPermissionAction(
  at: CollectionRef,
  token: string,
  action: CollectionAction,
): Promise<Permission> {
  return permissions.setAction(at.workspace, at.collection, token, action);
}

/** Revokes the grant `token`; gone (or the collection gone), or placed by a create of this run, is success. */
export function revokeCollectionPermission(at: CollectionRef, token: string): Promise<void> {
  return permissions.revoke(at.workspace, at.collection, token);
}
