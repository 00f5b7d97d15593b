/**
 * Response schemas of Mode's access model: groups, group memberships, collections (`spaces`), data
 * sources and the permissions of collections and data sources (API-CONTRACT.md, "Mode API: groups,
 * collections and their permissions"). Each object and list is transcribed from Mode's published
 * OpenAPI description (`mode/api-swagger`, `swagger.yaml`), the definition named beside it
 * (`// swagger: Name`); permissions, which the description does not publish, follow the contract.
 *
 * Transcribed as published: property types and `required` lists. Widened on purpose:
 * - a value published as a string that Mode's samples and the emulator send as a number or a boolean
 *   (`member_count`, `spaces_count`, `data_sources_count`, `managed`, `free_default`, `viewable?`) accepts
 *   both, and so does an `id` (published as an integer, a string elsewhere in Mode);
 * - a Pagination count (published as an integer) also accepts a string of digits;
 * - `DataSource.adapter` is any string (the published enum grows with every connector Mode adds;
 *   enforcing it would fail every listing of a workspace with a newer connector);
 * - `type: "object"`, implied by the published `properties`, is stated.
 * The published definitions are open (no `additionalProperties: false`); so are these.
 */
import type { FromSchema } from "json-schema-to-ts";
import { compile } from "./ajv";
import { linkSchema as link, listLinksSchema as listLinks, paginationSchema as pagination } from "./mode";
import { flag, integerOrString as id, stringOrBoolean, stringOrNumber, text } from "./values";

const embeds = { type: "object" } as const;

// swagger: UserGroup (+ UserGroupLinks, UserGroupEmbeds)
/** A user group. `state` is `active`, or `soft_deleted` after a delete; `managed`: SCIM owns it. */
export const userGroupSchema = {
  type: "object",
  properties: {
    token: text,
    group_type: text,
    name: text,
    description: text,
    state: text,
    member_count: stringOrNumber,
    spaces_count: stringOrNumber,
    data_sources_count: stringOrNumber,
    managed: stringOrBoolean,
    _links: {
      type: "object",
      properties: {
        self: link,
        web: link,
        creator: link,
        group_memberships: link,
        membership_by_id: link,
        memberships_preview: link,
      },
      required: ["self", "web", "group_memberships", "membership_by_id", "memberships_preview"],
    },
    _embedded: embeds,
  },
  required: [
    "_links",
    "token",
    "group_type",
    "name",
    "description",
    "state",
    "member_count",
    "spaces_count",
    "data_sources_count",
    "managed",
  ],
} as const;
/** A user group, snake_case as on the wire. */
export type UserGroup = FromSchema<typeof userGroupSchema>;

// swagger: UserGroups (+ UserGroupsLinks, UserGroupsEmbeds)
/** A page of `GET /{workspace}/groups`; the published embeds name no key: the items are under `groups`. */
export const userGroupsSchema = {
  type: "object",
  properties: {
    pagination,
    _links: listLinks,
    _embedded: {
      type: "object",
      properties: { groups: { type: "array", items: userGroupSchema } },
    },
  },
  required: ["_links"],
} as const;
/** A page of user groups. */
export type UserGroups = FromSchema<typeof userGroupsSchema>;

// swagger: UserGroupMembership (+ UserGroupMembershipLinks, UserGroupMembershipEmbeds)
/** A group membership; `token` is its own token (the path segment), `member_token` the user's. */
export const userGroupMembershipSchema = {
  type: "object",
  properties: {
    token: text,
    member_token: text,
    _links: {
      type: "object",
      properties: { self: link, creator: link, member: link, user_group: link },
      required: ["self", "member", "user_group"],
    },
    _embedded: embeds,
  },
  required: ["_links", "token", "member_token"],
} as const;
/** A group membership, snake_case as on the wire. */
export type UserGroupMembership = FromSchema<typeof userGroupMembershipSchema>;

// swagger: UserGroupMemberships (+ UserGroupMembershipsLinks, UserGroupMembershipsEmbeds)
/** A page of `GET /{workspace}/groups/{group}/memberships`; items under `group_memberships`. */
export const userGroupMembershipsSchema = {
  type: "object",
  properties: {
    pagination,
    _links: listLinks,
    _embedded: {
      type: "object",
      properties: { group_memberships: { type: "array", items: userGroupMembershipSchema } },
    },
  },
  required: ["_links"],
} as const;
/** A page of group memberships. */
export type UserGroupMemberships = FromSchema<typeof userGroupMembershipsSchema>;

// swagger: Space (+ SpaceLinks, SpaceEmbeds)
/**
 * A collection (`space`). `space_type` is `custom` or `personal`; `default_access_level` (not required
 * as published) is `restricted`, `view` or `edit`, and `restricted` is true exactly when it is `restricted`.
 */
export const spaceSchema = {
  type: "object",
  properties: {
    token: text,
    id,
    space_type: text,
    name: text,
    description: text,
    state: text,
    restricted: flag,
    free_default: stringOrBoolean,
    "viewable?": stringOrBoolean,
    "viewed?": stringOrBoolean,
    default_access_level: text,
    _links: {
      type: "object",
      properties: {
        self: link,
        detail: link,
        space_report_pins: link,
        web: link,
        reports: link,
        creator: link,
        user_space_membership: link,
        space_memberships: link,
        preview_space_memberships: link,
        search_space_permissions: link,
        viewed: link,
      },
      required: ["self", "detail", "reports", "search_space_permissions"],
    },
    _embedded: embeds,
  },
  required: [
    "_links",
    "token",
    "id",
    "space_type",
    "name",
    "description",
    "state",
    "restricted",
    "free_default",
    "viewable?",
  ],
} as const;
/** A collection (space), snake_case as on the wire. */
export type Space = FromSchema<typeof spaceSchema>;

// swagger: Spaces (+ SpacesLinks, SpacesEmbeds)
/** A page of `GET /{workspace}/spaces`; items under `spaces`. */
export const spacesSchema = {
  type: "object",
  properties: {
    pagination,
    _links: listLinks,
    _embedded: {
      type: "object",
      properties: { spaces: { type: "array", items: spaceSchema } },
    },
  },
  required: ["_links"],
} as const;
/** A page of collections. */
export type Spaces = FromSchema<typeof spacesSchema>;

// swagger: DataSource (+ DataSourceLinks, DataSourceEmbeds, DataSourceCustomAttributes)
/** A data source (database connection). */
export const dataSourceSchema = {
  type: "object",
  properties: {
    id,
    name: text,
    description: text,
    token: text,
    adapter: text,
    created_at: text,
    updated_at: text,
    has_expensive_schema_updates: flag,
    public: flag,
    asleep: flag,
    queryable: flag,
    soft_deleted: flag,
    display_name: text,
    account_id: id,
    account_username: text,
    organization_token: text,
    organization_plan_code: text,
    database: text,
    host: text,
    port: text,
    ssl: flag,
    username: text,
    provider: text,
    vendor: text,
    ldap: flag,
    warehouse: text,
    bridged: flag,
    adapter_version: text,
    custom_attributes: { type: "object", properties: { standard_sql: flag } },
    ssl_trusted_cert: text,
    default_access_level: text,
    _links: {
      type: "object",
      properties: {
        self: link,
        creator: link,
        account: link,
        permissions: link,
        web: link,
        web_home: link,
      },
      required: ["self", "creator", "account", "web", "web_home"],
    },
    _embedded: embeds,
  },
  required: [
    "_links",
    "id",
    "name",
    "description",
    "token",
    "adapter",
    "created_at",
    "updated_at",
    "has_expensive_schema_updates",
    "public",
    "asleep",
    "queryable",
    "soft_deleted",
    "display_name",
    "database",
    "host",
    "port",
    "ssl",
    "username",
    "provider",
    "vendor",
    "ldap",
    "warehouse",
    "bridged",
    "adapter_version",
    "custom_attributes",
  ],
} as const;
/** A data source, snake_case as on the wire. */
export type DataSource = FromSchema<typeof dataSourceSchema>;

// swagger: DataSources (+ DataSourcesLinks, DataSourcesEmbeds)
/** A page of `GET /{workspace}/data_sources`; items under `data_sources`. */
export const dataSourcesSchema = {
  type: "object",
  properties: {
    pagination,
    data_index_auth_token: text,
    _links: listLinks,
    _embedded: {
      type: "object",
      properties: { data_sources: { type: "array", items: dataSourceSchema } },
    },
  },
  required: ["_links"],
} as const;
/** A page of data sources. */
export type DataSources = FromSchema<typeof dataSourcesSchema>;

// Not published: API-CONTRACT.md ("Collection permissions").
/**
 * A permission on a collection or a data source: `action` (`view`/`edit` on a collection,
 * `view`/`query`/`manage` on a data source) granted to `accessor_type` `Account` (a member, by user
 * token) or `UserGroup` (a group, by group token).
 */
export const permissionSchema = {
  type: "object",
  properties: {
    token: text,
    action: text,
    accessor_type: text,
    accessor_token: text,
    _links: {
      type: "object",
      properties: { self: link, accessor: link, target: link },
      required: ["self"],
    },
    _embedded: embeds,
  },
  required: ["_links", "token", "action", "accessor_type", "accessor_token"],
} as const;
/** A permission, snake_case as on the wire. */
export type Permission = FromSchema<typeof permissionSchema>;

// Not published: API-CONTRACT.md (the lists' shape, as every Mode list).
/**
 * A page of a collection's or a data source's permissions. Their list key is documented nowhere (the
 * emulator uses `space_entitlements` and `data_source_entitlements`), so every array under `_embedded`
 * is validated as permissions and the client reads the one array there, whatever its key.
 */
export const permissionsSchema = {
  type: "object",
  properties: {
    pagination,
    _links: listLinks,
    _embedded: {
      type: "object",
      additionalProperties: { type: "array", items: permissionSchema },
    },
  },
  required: ["_links"],
} as const;
/** A page of permissions. */
export type Permissions = FromSchema<typeof permissionsSchema>;

/** Compiled validators of the access model's responses (each compiled on first use, cached by ajv). */
export const accessValidators = {
  get userGroup() {
    return compile<UserGroup>(userGroupSchema);
  },
  get userGroups() {
    return compile<UserGroups>(userGroupsSchema);
  },
  get userGroupMembership() {
    return compile<UserGroupMembership>(userGroupMembershipSchema);
  },
  get userGroupMemberships() {
    return compile<UserGroupMemberships>(userGroupMembershipsSchema);
  },
  get space() {
    return compile<Space>(spaceSchema);
  },
  get spaces() {
    return compile<Spaces>(spacesSchema);
  },
  get dataSource() {
    return compile<DataSource>(dataSourceSchema);
  },
  get dataSources() {
    return compile<DataSources>(dataSourcesSchema);
  },
  get permission() {
    return compile<Permission>(permissionSchema);
  },
  get permissions() {
    return compile<Permissions>(permissionsSchema);
  },
};

/** True when Mode reports the group as managed by the identity provider (SCIM); `managed` may be a string. */
export function isManagedGroup(group: Pick<UserGroup, "managed">): boolean {
  return group.managed === true || (typeof group.managed === "string" && group.managed.trim() === "true");
}

/** A count Mode may send as a number or a string (`member_count`, …); NaN when it is neither. */
export function countOf(value: string | number): number {
  return typeof value === "number" ? value : Number(value.trim() === "" ? NaN : value);
}
