/**
 * Who may use a Mode data source, a database connection
 * (`/{workspace}/data_sources/{data_source}/permissions`): this run's listing of its grants, finding
 * one by accessor or token, granting (adopting a grant to the same accessor and setting the declared
 * action), changing an action and revoking (gone is success). `view`, `query` or `manage`, to a member
 * (`Account`, by user token) or a group (`UserGroup`, by group token). Upstream, a GET of one
 * data-source permission can answer 500 while the list works: reading one falls back to the list.
 * Object ids within the collection are permission tokens.
 */
import type { Permission } from "../client";
import type { DataSourceAction } from "../rules";
import type { Accessor } from "./accessors";
import type { Adoption, Listing } from "./listing";
import { Permissions } from "./permissions";

/** Where a data source is: its workspace and its token. */
export interface DataSourceRef {
  readonly workspace: string;
  readonly dataSource: string;
}

const permissions = new Permissions<DataSourceAction>({
  collection: "data-source-permissions",
  listOn5xx: true,
  list: (api, workspace, dataSource) => api.listDataSourcePermissions(workspace, dataSource),
  get: (api, workspace, dataSource, token) => api.getDataSourcePermission(workspace, dataSource, token),
  create: (api, workspace, dataSource, input) => api.createDataSourcePermission(workspace, dataSource, input),
  update: (api, workspace, dataSource, token, action) =>
    api.updateDataSourcePermission(workspace, dataSource, token, { action }),
  remove: (api, workspace, dataSource, token) => api.deleteDataSourcePermission(workspace, dataSource, token),
});

/** This run's listing of the data source's grants (empty when the data source is gone). */
export function dataSourcePermissions(at: DataSourceRef): Listing<Permission> {
  return permissions.listing(at.workspace, at.dataSource);
}

/** The grant to `accessor` on the data source, from this run's listing; undefined when none. */
export function findDataSourcePermission(
  at: DataSourceRef,
  accessor: Accessor,
): Promise<Permission | undefined> {
  return permissions.findByAccessor(at.workspace, at.dataSource, accessor);
}

/** The grant `token` of the data source, from this run's listing; undefined when gone. */
export function findDataSourcePermissionByToken(
  at: DataSourceRef,
  token: string,
): Promise<Permission | undefined> {
  return permissions.findByToken(at.workspace, at.dataSource, token);
}

/**
 * The grant `token` read now (`GET`); undefined when gone (404). When the GET fails upstream while
 * the list works (a 500, which the client does not retry, or another 5xx after its retries), a fresh
 * listing's copy is returned instead.
 */
export function readDataSourcePermission(at: DataSourceRef, token: string): Promise<Permission | undefined> {
  return permissions.read(at.workspace, at.dataSource, token);
}

/**
 * Grants `action` on the data source to `accessor`; an existing grant to the same accessor is adopted
 * and set to `action`. Records the grant as placed by this run.
 */
export function grantDataSourcePermission(
  at: DataSourceRef,
  accessor: Accessor,
  action: DataSourceAction,
): Promise<Adoption<Permission>> {
  return permissions.grant(at.workspace, at.dataSource, accessor, action);
}

/** Records that the grant `token` belongs to a resource created in this run. */
export function markDataSourcePermissionPlaced(at: DataSourceRef, token: string): void {
  permissions.markPlaced(at.workspace, at.dataSource, token);
}

/** Changes the action of the grant `token` (`PATCH`); throws ApiError not_found when it is gone. */
export function setDataSourcePermissionAction(
  at: DataSourceRef,
  token: string,
  action: DataSourceAction,
): Promise<Permission> {
  return permissions.setAction(at.workspace, at.dataSource, token, action);
}

/** Revokes the grant `token`; gone (or the data source gone), or placed by a create of this run, is success. */
export function revokeDataSourcePermission(at: DataSourceRef, token: string): Promise<void> {
  return permissions.revoke(at.workspace, at.dataSource, token);
}
