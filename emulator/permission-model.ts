/**
 * Mode permission rules for collections (`/{workspace}/spaces/{space}/permissions...`) and data
 * sources (`/{workspace}/data_sources/{data_source}/permissions...`), and the data sources themselves
 * (API-CONTRACT.md "groups, collections and their permissions"): one grant per accessor and target,
 * actions per target kind, accessors that must exist, and the upstream quirk of a data-source
 * permission GET answering 500. Functions take the {@link Store} and throw {@link ApiError}.
 */
import { activeGroupByToken, workspaceMember } from "./group-model";
import { ApiError, isObject } from "./http";
import { Access, assertAdmin } from "./mode-model";
import { AccessorType, DataSource, Permission, PermissionTarget, Store, Workspace, randomHex } from "./store";

/** Actions a permission may carry, per target kind. */
export const PERMISSION_ACTIONS: Record<PermissionTarget, readonly string[]> = {
  space: ["view", "edit"],
  data_source: ["view", "query", "manage"],
};
/** Accessor types a permission may name. */
export const ACCESSOR_TYPES: readonly AccessorType[] = ["Account", "UserGroup"];

/** What a permission is granted on. */
export interface PermissionScope {
  /** The workspace. */
  ws: Workspace;
  /** Kind of target. */
  targetType: PermissionTarget;
  /** Id of the collection or data source. */
  targetId: number;
}

/** The workspace's data sources in list order. */
export function listDataSources(store: Store, ws: Workspace): DataSource[] {
  return store.data.dataSources.filter((d) => d.workspaceId === ws.id);
}

/** Finds a data source. @throws 404 */
export function findDataSource(store: Store, ws: Workspace, token: string): DataSource {
  const d = store.data.dataSources.find((x) => x.workspaceId === ws.id && x.token === token);
  if (!d) throw new ApiError(404, "not_found", "Data source not found.");
  return d;
}

/** The target's permissions in list order. */
export function listPermissions(store: Store, scope: PermissionScope): Permission[] {
  return store.data.permissions.filter(
    (p) => p.targetType === scope.targetType && p.targetId === scope.targetId,
  );
}

/** Finds a permission of the target. @throws 404 */
export function findPermission(store: Store, scope: PermissionScope, token: string): Permission {
  const p = store.data.permissions.find(
    (x) => x.targetType === scope.targetType && x.targetId === scope.targetId && x.token === token,
  );
  if (!p) throw new ApiError(404, "not_found", "Permission not found.");
  return p;
}

/**
 * The upstream quirk, switched on through the control interface: a GET of one data-source
 * permission answers 500 while the list works. @throws 500
 */
export function assertPermissionReadable(store: Store, p: Permission): void {
  if (p.targetType !== "data_source") return;
  const q = store.data.quirks.dataSourcePermissionGet500;
  if (q === "all" || q.includes(p.token)) {
    throw new ApiError(500, "internal_server_error", "An internal error occurred.");
  }
}

function permissionObject(body: unknown): Record<string, unknown> {
  const p = isObject(body) ? body.permission : undefined;
  if (!isObject(p)) throw new ApiError(400, "bad_request", "The body must contain a permission object.");
  return p;
}

function parseAction(scope: PermissionScope, v: unknown): string {
  const allowed = PERMISSION_ACTIONS[scope.targetType];
  if (typeof v !== "string" || !allowed.includes(v)) {
    throw new ApiError(400, "bad_request", `permission.action must be one of ${allowed.join(", ")}.`);
  }
  return v;
}

/** Grants `action` to a member or group. @throws 403, 400, 404 */
export function createPermission(
  store: Store,
  access: Access,
  scope: PermissionScope,
  body: unknown,
): Permission {
  assertAdmin(access, "manage permissions");
  const p = permissionObject(body);
  const action = parseAction(scope, p.action);
  const type = p.accessor_type;
  if (typeof type !== "string" || !(ACCESSOR_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(
      400,
      "bad_request",
      `permission.accessor_type must be one of ${ACCESSOR_TYPES.join(", ")}.`,
    );
  }
  const token = p.accessor_token;
  if (typeof token !== "string" || token === "") {
    throw new ApiError(400, "bad_request", "permission.accessor_token must be a non-empty string.");
  }
  if (type === "Account") workspaceMember(store, scope.ws, token);
  else if (!activeGroupByToken(store, scope.ws, token)) {
    throw new ApiError(404, "not_found", `Group ${token} not found in this workspace.`);
  }
  if (listPermissions(store, scope).some((x) => x.accessorType === type && x.accessorToken === token)) {
    throw new ApiError(
      400,
      "bad_request",
      `${type} ${token} already has a permission here; update it instead.`,
    );
  }
  const out: Permission = {
    token: randomHex(12),
    workspaceId: scope.ws.id,
    targetType: scope.targetType,
    targetId: scope.targetId,
    action,
    accessorType: type as AccessorType,
    accessorToken: token,
    creatorId: access.cred.userId,
    createdAt: store.nowIso(),
  };
  store.data.permissions.push(out);
  store.markDirty();
  return out;
}

/** Changes a permission's action. @throws 403, 400 */
export function updatePermission(
  store: Store,
  access: Access,
  scope: PermissionScope,
  p: Permission,
  body: unknown,
): Permission {
  assertAdmin(access, "manage permissions");
  p.action = parseAction(scope, permissionObject(body).action);
  store.markDirty();
  return p;
}

/** Revokes a permission. @throws 403 */
export function deletePermission(store: Store, access: Access, p: Permission): void {
  assertAdmin(access, "manage permissions");
  store.data.permissions = store.data.permissions.filter((x) => x !== p);
  store.markDirty();
}
