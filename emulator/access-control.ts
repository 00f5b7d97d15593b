/**
 * Control actions of the access model (paths relative to `{controlUrl}`): what only an identity
 * provider (SCIM) or the product's UI does — mark a group `managed`, add or remove a group member,
 * rename or delete a group outside the API's rules, remove a person from the workspace, give a member
 * a personal collection, add a data source — and the upstream quirk of a data-source permission GET
 * answering 500. Grants, revocations and default-level changes go through the API itself with the
 * seeded admin credentials. JSON in and out, no auth, never subject to faults.
 */
import { ensurePersonalCollection } from "./collection-model";
import { ControlError, ControlHandler, bool, controlRoutes, member, str, workspace } from "./control-routes";
import * as groups from "./group-model";
import { controlJson } from "./http";
import { removeFromWorkspace } from "./mode-model";
import { DataSource, Store, UserGroup, Workspace, randomHex } from "./store";
import { Route } from "./router";

/** The group a control body names by its token (`group`), active or soft-deleted. @throws 400, 404 */
function group(store: Store, ws: Workspace, body: Record<string, unknown>): UserGroup {
  const token = str(body, "group") ?? "";
  const g = store.data.userGroups.find((x) => x.workspaceId === ws.id && x.token === token);
  if (!g) throw new ControlError(404, `no group ${token} in ${ws.username}`);
  return g;
}

function groupJson(store: Store, ws: Workspace, g: UserGroup): Record<string, unknown> {
  const counts = groups.groupCounts(store, ws).get(g.id);
  return { ...g, memberCount: counts?.members ?? 0 };
}

/** `{workspace, group, managed}`: the identity provider takes (or gives up) the group. */
const setManaged: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const managed = bool(body, "managed");
  const g = group(store, ws, body);
  g.managed = managed;
  store.markDirty();
  return controlJson(200, { group: groupJson(store, ws, g) });
};

/**
 * `{workspace, group, memberToken|username|email}`: adds a workspace member to an active group as the
 * identity provider would (also to a `managed` one); `existed` when already a member.
 */
const groupAddMember: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const g = group(store, ws, body);
  if (g.state !== "active") throw new ControlError(400, `group ${g.token} is deleted`);
  const { user } = member(store, ws, body);
  const existing = groups.groupMembershipOf(store, g, user.id);
  const gm = existing ?? groups.addGroupMember(store, g, user, null);
  return controlJson(200, { membership: gm, existed: existing !== undefined });
};

/** `{workspace, group, memberToken|username|email}`: removes a member (also of a `managed` group). */
const groupRemoveMember: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const g = group(store, ws, body);
  const { user } = member(store, ws, body);
  const gm = groups.groupMembershipOf(store, g, user.id);
  if (gm) groups.removeGroupMember(store, gm);
  return controlJson(200, { removed: gm !== undefined });
};

/**
 * `{workspace, group, name?, description?}`: renames an active group as the identity provider or the
 * UI would (also a `managed` one); names stay unique among active groups (400).
 */
const groupUpdate: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const g = group(store, ws, body);
  if (g.state !== "active") throw new ControlError(400, `group ${g.token} is deleted`);
  const input = groups.parseGroupBody({ user_group: body }, false);
  if (input.name !== undefined) {
    const name = input.name;
    if (groups.listGroups(store, ws).some((x) => x !== g && groups.sameGroupName(x.name, name))) {
      throw new ControlError(400, `a group named ${name} exists`);
    }
    g.name = name;
  }
  if (input.description !== undefined) g.description = input.description;
  store.markDirty();
  return controlJson(200, { group: groupJson(store, ws, g) });
};

/** `{workspace, group}`: deletes a group as the identity provider would (no quirk, also `managed`). */
const groupDelete: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const g = group(store, ws, body);
  if (g.state === "active") groups.softDeleteGroup(store, g);
  return controlJson(200, { group: groupJson(store, ws, g) });
};

/**
 * `{workspace, memberToken|username|email}`: removes a person from the workspace as an admin would in
 * the UI (also the API user itself), with every cascade of the membership delete.
 */
const leaveWorkspace: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const { user, m } = member(store, ws, body);
  removeFromWorkspace(store, m);
  return controlJson(200, { removed: { username: user.username, memberToken: user.token } });
};

/** `{workspace, memberToken|username|email}`: the member's personal collection (created when missing). */
const personalCollection: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const { user } = member(store, ws, body);
  return controlJson(200, { space: ensurePersonalCollection(store, ws, user) });
};

/** `{workspace, name, adapter?}`: adds a database connection as an admin does in the UI. */
const addDataSource: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const name = str(body, "name") ?? "";
  const adapter = str(body, "adapter", false) ?? "jdbc:postgresql";
  const id = store.nextId();
  const d: DataSource = {
    id,
    token: randomHex(12),
    workspaceId: ws.id,
    name,
    description: "",
    adapter,
    database: `db${id}`,
    host: `db${id}.acme.example`,
    defaultAccessLevel: "restricted",
    creatorId: null,
    createdAt: store.nowIso(),
  };
  store.data.dataSources.push(d);
  store.markDirty();
  return controlJson(200, { dataSource: d });
};

/**
 * `{enabled, permission?}`: the upstream quirk. `enabled: true` with a permission token makes that
 * data-source permission's GET answer 500 (the list still works); without one, every data-source
 * permission GET does; `enabled: false` switches it off entirely.
 */
const dataSourcePermission500: ControlHandler = ({ store }, body) => {
  const enabled = bool(body, "enabled");
  const token = str(body, "permission", false);
  const q = store.data.quirks;
  if (!enabled) q.dataSourcePermissionGet500 = [];
  else if (token === undefined) q.dataSourcePermissionGet500 = "all";
  else if (q.dataSourcePermissionGet500 !== "all" && !q.dataSourcePermissionGet500.includes(token)) {
    q.dataSourcePermissionGet500 = [...q.dataSourcePermissionGet500, token];
  }
  store.markDirty();
  return controlJson(200, { dataSourcePermissionGet500: q.dataSourcePermissionGet500 });
};

/** The access model's control routes. */
export const accessControlRoutes: Route<ControlHandler>[] = [
  {
    name: "control.mode.groups.managed",
    method: "POST",
    pattern: ["mode", "groups", "managed"],
    handler: setManaged,
  },
  {
    name: "control.mode.groups.addMember",
    method: "POST",
    pattern: ["mode", "groups", "add-member"],
    handler: groupAddMember,
  },
  {
    name: "control.mode.groups.removeMember",
    method: "POST",
    pattern: ["mode", "groups", "remove-member"],
    handler: groupRemoveMember,
  },
  {
    name: "control.mode.groups.update",
    method: "POST",
    pattern: ["mode", "groups", "update"],
    handler: groupUpdate,
  },
  {
    name: "control.mode.groups.delete",
    method: "POST",
    pattern: ["mode", "groups", "delete"],
    handler: groupDelete,
  },
  {
    name: "control.mode.removeMember",
    method: "POST",
    pattern: ["mode", "remove-member"],
    handler: leaveWorkspace,
  },
  {
    name: "control.mode.personalCollection",
    method: "POST",
    pattern: ["mode", "personal-collection"],
    handler: personalCollection,
  },
  {
    name: "control.mode.dataSources",
    method: "POST",
    pattern: ["mode", "data-sources"],
    handler: addDataSource,
  },
  {
    name: "control.mode.quirks.dataSourcePermission500",
    method: "POST",
    pattern: ["mode", "quirks", "data-source-permission-500"],
    handler: dataSourcePermission500,
  },
];

/** Every control route the server dispatches: the general ones and the access model's. */
export const allControlRoutes: Route<ControlHandler>[] = [...controlRoutes, ...accessControlRoutes];
