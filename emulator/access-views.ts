/**
 * HAL+JSON renderings of groups, group memberships, collections (spaces), data sources and
 * permissions, with the fields of Mode's published definitions (`UserGroup`, `UserGroupMembership`,
 * `Space`, `DataSource`) and of API-CONTRACT.md for permissions. Counts are numbers and flags booleans
 * (the published description types several of them as strings; clients accept both).
 */
import { GroupCounts } from "./group-model";
import { seg } from "./http";
import { link, userHref, webBase } from "./mode-views";
import {
  DataSource,
  GroupMembership,
  ModeUser,
  Permission,
  Space,
  Store,
  UserGroup,
  Workspace,
} from "./store";

/** Users by id and by token, built once per request so a page of 1,000 renders in linear time. */
export class UserIndex {
  private readonly byId = new Map<number, ModeUser>();
  private readonly byToken = new Map<string, ModeUser>();

  /** Indexes the store's users. */
  constructor(store: Store) {
    for (const u of store.data.users) {
      this.byId.set(u.id, u);
      this.byToken.set(u.token, u);
    }
  }

  /** The user with this id. */
  id(id: number | null): ModeUser | undefined {
    return id === null ? undefined : this.byId.get(id);
  }

  /** The user with this token. */
  token(token: string): ModeUser | undefined {
    return this.byToken.get(token);
  }
}

/** `{base}/{workspace}` */
function wsPath(base: string, ws: Workspace): string {
  return `${base}/${seg(ws.username)}`;
}

/** The href of a group. */
export function groupHref(base: string, ws: Workspace, token: string): string {
  return `${wsPath(base, ws)}/groups/${seg(token)}`;
}

/** The href of a collection. */
export function spaceHref(base: string, ws: Workspace, s: Space): string {
  return `${wsPath(base, ws)}/spaces/${seg(s.token)}`;
}

/** The href of a data source. */
export function dataSourceHref(base: string, ws: Workspace, d: DataSource): string {
  return `${wsPath(base, ws)}/data_sources/${seg(d.token)}`;
}

function creatorHref(ix: UserIndex, base: string, ws: Workspace, creatorId: number | null): string {
  return userHref(base, ix.id(creatorId)?.username ?? ws.username);
}

/** Renders a group with its counts. */
export function groupView(
  ix: UserIndex,
  base: string,
  ws: Workspace,
  g: UserGroup,
  counts: GroupCounts,
): Record<string, unknown> {
  const self = groupHref(base, ws, g.token);
  return {
    token: g.token,
    group_type: g.groupType,
    name: g.name,
    description: g.description,
    state: g.state,
    member_count: counts.members,
    spaces_count: counts.spaces,
    data_sources_count: counts.dataSources,
    managed: g.managed,
    _links: {
      self: link(self),
      web: link(`${webBase(base)}/organizations/${seg(ws.username)}/groups/${seg(g.token)}`),
      creator: link(creatorHref(ix, base, ws, g.creatorId)),
      group_memberships: link(`${self}/memberships`),
      membership_by_id: { href: `${self}/memberships/{membership_token}`, templated: true },
      memberships_preview: link(`${self}/memberships?per_page=5`),
    },
    _embedded: {},
  };
}

/** Renders a group membership. */
export function groupMembershipView(
  ix: UserIndex,
  base: string,
  ws: Workspace,
  g: UserGroup,
  gm: GroupMembership,
): Record<string, unknown> {
  const group = groupHref(base, ws, g.token);
  return {
    token: gm.token,
    member_token: gm.memberToken,
    _links: {
      self: link(`${group}/memberships/${seg(gm.token)}`),
      member: link(userHref(base, ix.id(gm.userId)?.username ?? gm.memberToken)),
      user_group: link(group),
      creator: link(creatorHref(ix, base, ws, gm.creatorId)),
    },
    _embedded: {},
  };
}

/** Renders a collection (`restricted` is true exactly when the default level is `restricted`). */
export function spaceView(ix: UserIndex, base: string, ws: Workspace, s: Space): Record<string, unknown> {
  const self = spaceHref(base, ws, s);
  return {
    token: s.token,
    id: s.id,
    space_type: s.spaceType,
    name: s.name,
    description: s.description,
    state: s.state,
    restricted: s.defaultAccessLevel === "restricted",
    free_default: false,
    "viewable?": true,
    default_access_level: s.defaultAccessLevel,
    _links: {
      self: link(self),
      detail: link(self),
      web: link(`${webBase(base)}/${seg(ws.username)}/spaces/${seg(s.token)}`),
      reports: link(`${self}/reports`),
      creator: link(creatorHref(ix, base, ws, s.creatorId)),
      space_memberships: link(`${self}/memberships`),
      search_space_permissions: link(`${self}/permissions`),
      permissions: link(`${self}/permissions`),
    },
    _embedded: {},
  };
}

const VENDORS: Record<string, [string, string]> = {
  "jdbc:postgresql": ["postgresql", "5432"],
  "jdbc:snowflake": ["snowflake", "443"],
  "jdbc:bigquery": ["bigquery", "443"],
};

/** Renders a data source with every field the published `DataSource` definition requires. */
export function dataSourceView(
  ix: UserIndex,
  base: string,
  ws: Workspace,
  d: DataSource,
): Record<string, unknown> {
  const self = dataSourceHref(base, ws, d);
  const [vendor, port] = VENDORS[d.adapter] ?? [d.adapter.replace(/^jdbc:/, ""), "443"];
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    token: d.token,
    adapter: d.adapter,
    created_at: d.createdAt,
    updated_at: d.createdAt,
    has_expensive_schema_updates: false,
    public: false,
    asleep: false,
    queryable: true,
    soft_deleted: false,
    display_name: d.name,
    account_id: ws.id,
    account_username: ws.username,
    database: d.database,
    host: d.host,
    port,
    ssl: true,
    username: "mode_reader",
    provider: vendor,
    vendor,
    ldap: false,
    warehouse: "",
    bridged: false,
    adapter_version: "1",
    custom_attributes: {},
    default_access_level: d.defaultAccessLevel,
    _links: {
      self: link(self),
      creator: link(creatorHref(ix, base, ws, d.creatorId)),
      account: link(userHref(base, ws.username)),
      permissions: link(`${self}/permissions`),
      web: link(`${webBase(base)}/${seg(ws.username)}/data_sources/${seg(d.token)}`),
      web_home: link(`${webBase(base)}/${seg(ws.username)}/data_sources`),
    },
    _embedded: {},
  };
}

/** Renders a permission; `target` is the href of its collection or data source. */
export function permissionView(
  ix: UserIndex,
  base: string,
  ws: Workspace,
  target: string,
  p: Permission,
): Record<string, unknown> {
  const accessor =
    p.accessorType === "UserGroup"
      ? groupHref(base, ws, p.accessorToken)
      : userHref(base, ix.token(p.accessorToken)?.username ?? p.accessorToken);
  return {
    token: p.token,
    action: p.action,
    accessor_type: p.accessorType,
    accessor_token: p.accessorToken,
    _links: {
      self: link(`${target}/permissions/${seg(p.token)}`),
      accessor: link(accessor),
      target: link(target),
    },
    _embedded: {},
  };
}
