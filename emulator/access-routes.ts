/**
 * Thin route handlers of Mode's access model (paths relative to `{modeApiUrl}`): groups, group
 * memberships, collections (`spaces`), collection permissions, data sources and data-source
 * permissions. Each one authenticates, resolves the workspace and the parent objects (a missing
 * parent is a 404), calls the model and renders HAL+JSON. Every list goes through {@link modeList}.
 */
import { Handler, Reply, Route, RouteContext, ok, parseJsonBody } from "./http";
import { modeList } from "./mode-lists";
import { Access, callerAccess } from "./mode-model";
import { findSpace } from "./space-model";
import * as groups from "./group-model";
import * as collections from "./collection-model";
import * as perms from "./permission-model";
import {
  UserIndex,
  dataSourceHref,
  dataSourceView,
  groupHref,
  groupMembershipView,
  groupView,
  permissionView,
  spaceHref,
  spaceView,
} from "./access-views";
import { Permission, UserGroup } from "./store";

function access(ctx: RouteContext): Access {
  return callerAccess(ctx.store, ctx.headers.authorization, ctx.params.workspace);
}

function body(ctx: RouteContext): unknown {
  return parseJsonBody("mode", ctx.headers, ctx.rawBody);
}

function renderGroup(ctx: RouteContext, a: Access, g: UserGroup): Reply {
  const counts = groups.groupCounts(ctx.store, a.ws).get(g.id) ?? { members: 0, spaces: 0, dataSources: 0 };
  return ok("mode", 200, groupView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, g, counts));
}

// Groups

const listGroups: Handler = (ctx) => {
  const a = access(ctx);
  const counts = groups.groupCounts(ctx.store, a.ws);
  const ix = new UserIndex(ctx.store);
  const self = `${ctx.urls.mode}/${encodeURIComponent(a.ws.username)}/groups`;
  return modeList(ctx, self, "groups", groups.listGroups(ctx.store, a.ws), (g) =>
    groupView(ix, ctx.urls.mode, a.ws, g, counts.get(g.id) ?? { members: 0, spaces: 0, dataSources: 0 }),
  );
};

const createGroup: Handler = (ctx) => {
  const a = access(ctx);
  return renderGroup(ctx, a, groups.createGroup(ctx.store, a, body(ctx)));
};

const getGroup: Handler = (ctx) => {
  const a = access(ctx);
  return renderGroup(ctx, a, groups.findGroup(ctx.store, a.ws, ctx.params.group));
};

const updateGroup: Handler = (ctx) => {
  const a = access(ctx);
  const g = groups.findActiveGroup(ctx.store, a.ws, ctx.params.group);
  return renderGroup(ctx, a, groups.updateGroup(ctx.store, a, g, body(ctx)));
};

const deleteGroup: Handler = (ctx) => {
  const a = access(ctx);
  const g = groups.findGroup(ctx.store, a.ws, ctx.params.group);
  return renderGroup(ctx, a, groups.deleteGroup(ctx.store, a, g));
};

// Group memberships

function groupAccess(ctx: RouteContext): { a: Access; g: UserGroup } {
  const a = access(ctx);
  return { a, g: groups.findActiveGroup(ctx.store, a.ws, ctx.params.group) };
}

const listGroupMemberships: Handler = (ctx) => {
  const { a, g } = groupAccess(ctx);
  const ix = new UserIndex(ctx.store);
  const self = `${groupHref(ctx.urls.mode, a.ws, g.token)}/memberships`;
  return modeList(ctx, self, "group_memberships", groups.listGroupMemberships(ctx.store, g), (gm) =>
    groupMembershipView(ix, ctx.urls.mode, a.ws, g, gm),
  );
};

const createGroupMembership: Handler = (ctx) => {
  const { a, g } = groupAccess(ctx);
  const gm = groups.createGroupMembership(ctx.store, a, g, body(ctx));
  return ok("mode", 200, groupMembershipView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, g, gm));
};

const getGroupMembership: Handler = (ctx) => {
  const { a, g } = groupAccess(ctx);
  const gm = groups.findGroupMembership(ctx.store, g, ctx.params.membership);
  return ok("mode", 200, groupMembershipView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, g, gm));
};

const deleteGroupMembership: Handler = (ctx) => {
  const { a, g } = groupAccess(ctx);
  const gm = groups.findGroupMembership(ctx.store, g, ctx.params.membership);
  const view = groupMembershipView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, g, gm);
  groups.deleteGroupMembership(ctx.store, a, g, gm);
  return ok("mode", 200, view);
};

// Collections

const listSpaces: Handler = (ctx) => {
  const a = access(ctx);
  const all = collections.parseFilter(ctx.query);
  const ix = new UserIndex(ctx.store);
  const self = `${ctx.urls.mode}/${encodeURIComponent(a.ws.username)}/spaces`;
  return modeList(ctx, self, "spaces", collections.listCollections(ctx.store, a, all), (s) =>
    spaceView(ix, ctx.urls.mode, a.ws, s),
  );
};

const createSpace: Handler = (ctx) => {
  const a = access(ctx);
  const s = collections.createCollection(ctx.store, a, body(ctx));
  return ok("mode", 200, spaceView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, s));
};

const getSpace: Handler = (ctx) => {
  const a = access(ctx);
  const s = collections.findCollection(ctx.store, a.ws, ctx.params.space);
  return ok("mode", 200, spaceView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, s));
};

const updateSpace: Handler = (ctx) => {
  const a = access(ctx);
  const s = collections.findCollection(ctx.store, a.ws, ctx.params.space);
  collections.updateCollection(ctx.store, a, s, body(ctx));
  return ok("mode", 200, spaceView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, s));
};

const deleteSpace: Handler = (ctx) => {
  const a = access(ctx);
  const s = collections.findCollection(ctx.store, a.ws, ctx.params.space);
  collections.deleteCollection(ctx.store, a, s);
  return ok("mode", 200, spaceView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, s));
};

// Permissions of a collection or a data source

interface PermissionParent {
  /** Caller. */
  a: Access;
  /** Target. */
  scope: perms.PermissionScope;
  /** Href of the target. */
  target: string;
}

function spaceParent(ctx: RouteContext): PermissionParent {
  const a = access(ctx);
  const s = findSpace(ctx.store, a.ws, ctx.params.space);
  return {
    a,
    scope: { ws: a.ws, targetType: "space", targetId: s.id },
    target: spaceHref(ctx.urls.mode, a.ws, s),
  };
}

function dataSourceParent(ctx: RouteContext): PermissionParent {
  const a = access(ctx);
  const d = perms.findDataSource(ctx.store, a.ws, ctx.params.dataSource);
  return {
    a,
    scope: { ws: a.ws, targetType: "data_source", targetId: d.id },
    target: dataSourceHref(ctx.urls.mode, a.ws, d),
  };
}

/** The five permission handlers for one kind of parent and list key. */
function permissionHandlers(
  parent: (ctx: RouteContext) => PermissionParent,
  key: string,
): Record<"list" | "create" | "get" | "update" | "delete", Handler> {
  const render = (ctx: RouteContext, p: PermissionParent, x: Permission): Reply =>
    ok("mode", 200, permissionView(new UserIndex(ctx.store), ctx.urls.mode, p.a.ws, p.target, x));
  return {
    list: (ctx) => {
      const p = parent(ctx);
      const ix = new UserIndex(ctx.store);
      return modeList(ctx, `${p.target}/permissions`, key, perms.listPermissions(ctx.store, p.scope), (x) =>
        permissionView(ix, ctx.urls.mode, p.a.ws, p.target, x),
      );
    },
    create: (ctx) => {
      const p = parent(ctx);
      return render(ctx, p, perms.createPermission(ctx.store, p.a, p.scope, body(ctx)));
    },
    get: (ctx) => {
      const p = parent(ctx);
      const x = perms.findPermission(ctx.store, p.scope, ctx.params.permission);
      perms.assertPermissionReadable(ctx.store, x);
      return render(ctx, p, x);
    },
    update: (ctx) => {
      const p = parent(ctx);
      const x = perms.findPermission(ctx.store, p.scope, ctx.params.permission);
      return render(ctx, p, perms.updatePermission(ctx.store, p.a, p.scope, x, body(ctx)));
    },
    delete: (ctx) => {
      const p = parent(ctx);
      const x = perms.findPermission(ctx.store, p.scope, ctx.params.permission);
      const reply = render(ctx, p, x);
      perms.deletePermission(ctx.store, p.a, x);
      return reply;
    },
  };
}

const spacePermissions = permissionHandlers(spaceParent, "space_entitlements");
const dataSourcePermissions = permissionHandlers(dataSourceParent, "data_source_entitlements");

// Data sources

const listDataSources: Handler = (ctx) => {
  const a = access(ctx);
  const ix = new UserIndex(ctx.store);
  const self = `${ctx.urls.mode}/${encodeURIComponent(a.ws.username)}/data_sources`;
  return modeList(ctx, self, "data_sources", perms.listDataSources(ctx.store, a.ws), (d) =>
    dataSourceView(ix, ctx.urls.mode, a.ws, d),
  );
};

const getDataSource: Handler = (ctx) => {
  const a = access(ctx);
  const d = perms.findDataSource(ctx.store, a.ws, ctx.params.dataSource);
  return ok("mode", 200, dataSourceView(new UserIndex(ctx.store), ctx.urls.mode, a.ws, d));
};

const GROUPS = [":workspace", "groups"];
const GROUP = [...GROUPS, ":group"];
const GROUP_MEMBERS = [...GROUP, "memberships"];
const SPACES = [":workspace", "spaces"];
const SPACE = [...SPACES, ":space"];
const SPACE_PERMS = [...SPACE, "permissions"];
const DATA_SOURCES = [":workspace", "data_sources"];
const DATA_SOURCE = [...DATA_SOURCES, ":dataSource"];
const DS_PERMS = [...DATA_SOURCE, "permissions"];

function permissionRoutes(
  prefix: string,
  pattern: string[],
  h: ReturnType<typeof permissionHandlers>,
): Route<Handler>[] {
  return [
    { name: `${prefix}.list`, method: "GET", pattern, handler: h.list },
    { name: `${prefix}.create`, method: "POST", pattern, handler: h.create },
    { name: `${prefix}.get`, method: "GET", pattern: [...pattern, ":permission"], handler: h.get },
    { name: `${prefix}.update`, method: "PATCH", pattern: [...pattern, ":permission"], handler: h.update },
    { name: `${prefix}.delete`, method: "DELETE", pattern: [...pattern, ":permission"], handler: h.delete },
  ];
}

/** The access-model routes, each with a stable name for the request log and per-route faults. */
export const accessRoutes: Route<Handler>[] = [
  { name: "mode.groups.list", method: "GET", pattern: GROUPS, handler: listGroups },
  { name: "mode.groups.create", method: "POST", pattern: GROUPS, handler: createGroup },
  { name: "mode.groups.get", method: "GET", pattern: GROUP, handler: getGroup },
  { name: "mode.groups.update", method: "PATCH", pattern: GROUP, handler: updateGroup },
  { name: "mode.groups.delete", method: "DELETE", pattern: GROUP, handler: deleteGroup },
  {
    name: "mode.groupMemberships.list",
    method: "GET",
    pattern: GROUP_MEMBERS,
    handler: listGroupMemberships,
  },
  {
    name: "mode.groupMemberships.create",
    method: "POST",
    pattern: GROUP_MEMBERS,
    handler: createGroupMembership,
  },
  {
    name: "mode.groupMemberships.get",
    method: "GET",
    pattern: [...GROUP_MEMBERS, ":membership"],
    handler: getGroupMembership,
  },
  {
    name: "mode.groupMemberships.delete",
    method: "DELETE",
    pattern: [...GROUP_MEMBERS, ":membership"],
    handler: deleteGroupMembership,
  },
  { name: "mode.spaces.list", method: "GET", pattern: SPACES, handler: listSpaces },
  { name: "mode.spaces.create", method: "POST", pattern: SPACES, handler: createSpace },
  { name: "mode.spaces.get", method: "GET", pattern: SPACE, handler: getSpace },
  { name: "mode.spaces.update", method: "PATCH", pattern: SPACE, handler: updateSpace },
  // The published description's verb for the same update.
  { name: "mode.spaces.update", method: "POST", pattern: SPACE, handler: updateSpace },
  { name: "mode.spaces.delete", method: "DELETE", pattern: SPACE, handler: deleteSpace },
  ...permissionRoutes("mode.spacePermissions", SPACE_PERMS, spacePermissions),
  { name: "mode.dataSources.list", method: "GET", pattern: DATA_SOURCES, handler: listDataSources },
  { name: "mode.dataSources.get", method: "GET", pattern: DATA_SOURCE, handler: getDataSource },
  ...permissionRoutes("mode.dataSourcePermissions", DS_PERMS, dataSourcePermissions),
];
