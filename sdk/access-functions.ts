/**
 * Read functions of Mode's access model: groups and their members, collections, data sources and who
 * holds a permission on each, queried from the Pulumi program itself (during preview and update
 * alike). Credentials come from the same `mode:*` config keys or environment variables as the
 * resources. Each function's arguments and result are declared once, as JSON Schemas with a
 * description on every property (`ACCESS_READ_FUNCTIONS`); their TypeScript types derive from them.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { DataSource, ModeClient, Permission, Space, UserGroup } from "../provider/client";
import { clientModule, collect, modeClient, tokenArg, workspaceArg } from "./read-support";

// ---- the functions' arguments and results, declared once ----------------------------------------

const nullableString = (description: string) => ({ type: ["string", "null"], description }) as const;

/** A user group of a workspace. */
export const groupInfoSchema = {
  title: "GroupInfo",
  description: "A user group of a workspace, as Mode reports it.",
  type: "object",
  required: [
    "token",
    "name",
    "description",
    "groupType",
    "state",
    "managed",
    "memberCount",
    "collectionCount",
    "dataSourceCount",
  ],
  properties: {
    token: { type: "string", description: "The group's token (what `group` arguments take)." },
    name: {
      type: "string",
      description: "The group's name (unique among active groups, regardless of case).",
    },
    description: { type: "string", description: "The group's description." },
    groupType: { type: "string", description: "`custom` for groups made through the API or the product." },
    state: { type: "string", description: "`active` (deleted groups are not listed)." },
    managed: {
      type: "boolean",
      description: "Whether the identity provider manages the group (SCIM): then only it changes the group.",
    },
    memberCount: { type: "number", description: "How many members the group has." },
    collectionCount: { type: "number", description: "On how many collections the group holds a permission." },
    dataSourceCount: {
      type: "number",
      description: "On how many data sources the group holds a permission.",
    },
  },
  additionalProperties: false,
} as const;

/** A user group of a workspace (see {@link groupInfoSchema}). */
export type GroupInfo = FromSchema<typeof groupInfoSchema>;

/** A member of a group. */
export const groupMemberInfoSchema = {
  title: "GroupMemberInfo",
  description: "A member of a group, with their username.",
  type: "object",
  required: ["membershipToken", "memberToken", "username"],
  properties: {
    membershipToken: { type: "string", description: "The group membership's own token." },
    memberToken: {
      type: "string",
      description: "The member's user token (their workspace membership's token).",
    },
    username: nullableString(
      "The member's username, from the workspace's memberships; null when the workspace does not list them.",
    ),
  },
  additionalProperties: false,
} as const;

/** A member of a group (see {@link groupMemberInfoSchema}). */
export type GroupMemberInfo = FromSchema<typeof groupMemberInfoSchema>;

/** A collection (a `space` in the API). */
export const collectionInfoSchema = {
  title: "CollectionInfo",
  description: "A collection (a space in Mode's API).",
  type: "object",
  required: ["token", "id", "name", "description", "spaceType", "state", "restricted", "defaultAccess"],
  properties: {
    token: { type: "string", description: "The collection's token (what `collection` arguments take)." },
    id: { type: "string", description: "Mode's numeric id of the collection, as a string." },
    name: { type: "string", description: "The collection's name (names are not unique)." },
    description: { type: "string", description: "The collection's description." },
    spaceType: { type: "string", description: "`custom`, or `personal` for a member's own collection." },
    state: { type: "string", description: "`active` (deleted collections are not listed)." },
    restricted: {
      type: "boolean",
      description:
        "Whether only those holding a permission can open it (the default access is `restricted`).",
    },
    defaultAccess: nullableString(
      "What every workspace member may do by default: `restricted`, `view` or `edit` (null when Mode does not say).",
    ),
  },
  additionalProperties: false,
} as const;

/** A collection (see {@link collectionInfoSchema}). */
export type CollectionInfo = FromSchema<typeof collectionInfoSchema>;

/** A data source (database connection). */
export const dataSourceInfoSchema = {
  title: "DataSourceInfo",
  description: "A data source (a database connection).",
  type: "object",
  required: ["token", "id", "name", "displayName", "adapter", "defaultAccess"],
  properties: {
    token: { type: "string", description: "The data source's token (what `dataSource` arguments take)." },
    id: { type: "string", description: "Mode's numeric id of the data source, as a string." },
    name: { type: "string", description: "The data source's name." },
    displayName: { type: "string", description: "The name Mode shows for it." },
    adapter: { type: "string", description: "Its connector, e.g. `jdbc:postgresql`." },
    defaultAccess: nullableString(
      "What every workspace member may do by default, as Mode reports it (null when Mode does not say).",
    ),
  },
  additionalProperties: false,
} as const;

/** A data source (see {@link dataSourceInfoSchema}). */
export type DataSourceInfo = FromSchema<typeof dataSourceInfoSchema>;

/** A permission on a collection or a data source. */
export const permissionInfoSchema = {
  title: "PermissionInfo",
  description: "A permission on a collection or a data source, with the accessor's name.",
  type: "object",
  required: ["permissionToken", "action", "accessorType", "accessorToken", "accessorName"],
  properties: {
    permissionToken: { type: "string", description: "The permission's own token." },
    action: {
      type: "string",
      description:
        "What the accessor may do: `view` or `edit` on a collection; `view`, `query` or `manage` on a data source.",
    },
    accessorType: { type: "string", description: "`Account` (a member) or `UserGroup` (a group)." },
    accessorToken: { type: "string", description: "The member's user token or the group's token." },
    accessorName: nullableString(
      "The member's username or the group's name; null when the workspace's listing does not have them.",
    ),
  },
  additionalProperties: false,
} as const;

/** A permission (see {@link permissionInfoSchema}). */
export type PermissionInfo = FromSchema<typeof permissionInfoSchema>;

/**
 * Every access-model read function: what it does, its arguments and its result, as JSON Schemas with
 * a description on every property. The functions below take and return exactly these types.
 */
export const ACCESS_READ_FUNCTIONS = {
  getGroups: {
    description: "Lists the active user groups of a workspace (all pages).",
    args: {
      type: "object",
      required: ["workspace"],
      properties: { workspace: workspaceArg },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "groups"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        groups: { type: "array", items: groupInfoSchema, description: "The workspace's active groups." },
      },
      additionalProperties: false,
    },
  },
  getGroupMembers: {
    description: "Lists the members of a group (all pages), each with their username.",
    args: {
      type: "object",
      required: ["workspace", "group"],
      properties: { workspace: workspaceArg, group: tokenArg("The group's token.") },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "group", "members"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        group: { type: "string", description: "The group's token, as asked." },
        members: { type: "array", items: groupMemberInfoSchema, description: "The group's members." },
      },
      additionalProperties: false,
    },
  },
  getCollections: {
    description:
      "Lists the collections of a workspace (all pages): custom ones, and with `includePersonal` every member's personal one.",
    args: {
      type: "object",
      required: ["workspace"],
      properties: {
        workspace: workspaceArg,
        includePersonal: {
          type: "boolean",
          description: "Also list every member's personal collection (default false).",
        },
      },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "collections"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        collections: { type: "array", items: collectionInfoSchema, description: "The collections." },
      },
      additionalProperties: false,
    },
  },
  getCollectionPermissions: {
    description:
      "Lists who holds a permission on a collection (all pages), with each member's or group's name.",
    args: {
      type: "object",
      required: ["workspace", "collection"],
      properties: { workspace: workspaceArg, collection: tokenArg("The collection's token.") },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "collection", "permissions"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        collection: { type: "string", description: "The collection's token, as asked." },
        permissions: {
          type: "array",
          items: permissionInfoSchema,
          description: "The collection's permissions.",
        },
      },
      additionalProperties: false,
    },
  },
  getDataSources: {
    description: "Lists the data sources (database connections) of a workspace (all pages).",
    args: {
      type: "object",
      required: ["workspace"],
      properties: { workspace: workspaceArg },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "dataSources"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        dataSources: { type: "array", items: dataSourceInfoSchema, description: "The data sources." },
      },
      additionalProperties: false,
    },
  },
  getDataSourcePermissions: {
    description:
      "Lists who holds a permission on a data source (all pages), with each member's or group's name.",
    args: {
      type: "object",
      required: ["workspace", "dataSource"],
      properties: { workspace: workspaceArg, dataSource: tokenArg("The data source's token.") },
      additionalProperties: false,
    },
    result: {
      type: "object",
      required: ["workspace", "dataSource", "permissions"],
      properties: {
        workspace: { type: "string", description: "The workspace, as asked." },
        dataSource: { type: "string", description: "The data source's token, as asked." },
        permissions: {
          type: "array",
          items: permissionInfoSchema,
          description: "The data source's permissions.",
        },
      },
      additionalProperties: false,
    },
  },
} as const;

/** The name of an access-model read function. */
export type AccessReadFunctionName = keyof typeof ACCESS_READ_FUNCTIONS;
/** An access-model read function's arguments, derived from its schema. */
export type AccessReadFunctionArgs<N extends AccessReadFunctionName> = FromSchema<
  (typeof ACCESS_READ_FUNCTIONS)[N]["args"]
>;
/** An access-model read function's result, derived from its schema. */
export type AccessReadFunctionResult<N extends AccessReadFunctionName> = FromSchema<
  (typeof ACCESS_READ_FUNCTIONS)[N]["result"]
>;

// ---- the functions ----------------------------------------------------------------------------------

/** Lists the active user groups of a workspace (all pages). */
export async function getGroups(
  args: AccessReadFunctionArgs<"getGroups">,
): Promise<AccessReadFunctionResult<"getGroups">> {
  const groups: GroupInfo[] = [];
  for await (const group of modeClient().listGroups(args.workspace)) {
    if (group.state !== "soft_deleted") groups.push(groupInfo(group));
  }
  return { workspace: args.workspace, groups };
}

/** Lists the members of a group (all pages), each with their username from the workspace's memberships. */
export async function getGroupMembers(
  args: AccessReadFunctionArgs<"getGroupMembers">,
): Promise<AccessReadFunctionResult<"getGroupMembers">> {
  const client = modeClient();
  const [memberships, usernames] = await Promise.all([
    collect(client.listGroupMemberships(args.workspace, args.group)),
    usernamesByToken(client, args.workspace),
  ]);
  const members = memberships.map((m) => ({
    membershipToken: m.token,
    memberToken: m.member_token,
    username: usernames.get(m.member_token) ?? null,
  }));
  return { workspace: args.workspace, group: args.group, members };
}

/** Lists the collections of a workspace (all pages); `includePersonal` adds every member's personal one. */
export async function getCollections(
  args: AccessReadFunctionArgs<"getCollections">,
): Promise<AccessReadFunctionResult<"getCollections">> {
  if (args.includePersonal !== undefined && typeof args.includePersonal !== "boolean") {
    throw new Error("getCollections: includePersonal must be true or false");
  }
  const options = args.includePersonal ? { filter: "all" as const } : {};
  const collections: CollectionInfo[] = [];
  for await (const space of modeClient().listSpaces(args.workspace, options)) {
    if (space.state !== "soft_deleted") collections.push(collectionInfo(space));
  }
  return { workspace: args.workspace, collections };
}

/** Lists who holds a permission on a collection (all pages), with each member's or group's name. */
export async function getCollectionPermissions(
  args: AccessReadFunctionArgs<"getCollectionPermissions">,
): Promise<AccessReadFunctionResult<"getCollectionPermissions">> {
  const client = modeClient();
  const permissions = await named(
    client,
    args.workspace,
    client.listSpacePermissions(args.workspace, args.collection),
  );
  return { workspace: args.workspace, collection: args.collection, permissions };
}

/** Lists the data sources (database connections) of a workspace (all pages). */
export async function getDataSources(
  args: AccessReadFunctionArgs<"getDataSources">,
): Promise<AccessReadFunctionResult<"getDataSources">> {
  const dataSources: DataSourceInfo[] = [];
  for await (const dataSource of modeClient().listDataSources(args.workspace)) {
    dataSources.push(dataSourceInfo(dataSource));
  }
  return { workspace: args.workspace, dataSources };
}

/** Lists who holds a permission on a data source (all pages), with each member's or group's name. */
export async function getDataSourcePermissions(
  args: AccessReadFunctionArgs<"getDataSourcePermissions">,
): Promise<AccessReadFunctionResult<"getDataSourcePermissions">> {
  const client = modeClient();
  const permissions = await named(
    client,
    args.workspace,
    client.listDataSourcePermissions(args.workspace, args.dataSource),
  );
  return { workspace: args.workspace, dataSource: args.dataSource, permissions };
}

// ---- helpers ----------------------------------------------------------------------------------------

async function usernamesByToken(client: ModeClient, workspace: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const m of client.listMemberships(workspace)) names.set(m.member_token, m.member_username);
  return names;
}

async function groupNamesByToken(client: ModeClient, workspace: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const g of client.listGroups(workspace)) names.set(g.token, g.name);
  return names;
}

/** The permissions with their accessors' names, listing only the name sources the permissions need. */
async function named(
  client: ModeClient,
  workspace: string,
  list: AsyncIterable<Permission>,
): Promise<PermissionInfo[]> {
  const permissions = await collect(list);
  const needs = (type: string) => permissions.some((p) => p.accessor_type === type);
  const none = Promise.resolve(new Map<string, string>());
  const [users, groups] = await Promise.all([
    needs("Account") ? usernamesByToken(client, workspace) : none,
    needs("UserGroup") ? groupNamesByToken(client, workspace) : none,
  ]);
  return permissions.map((p) => ({
    permissionToken: p.token,
    action: p.action,
    accessorType: p.accessor_type,
    accessorToken: p.accessor_token,
    accessorName: (p.accessor_type === "UserGroup" ? groups : users).get(p.accessor_token) ?? null,
  }));
}

function groupInfo(g: UserGroup): GroupInfo {
  const { countOf, isManagedGroup } = clientModule();
  return {
    token: g.token,
    name: g.name,
    description: g.description,
    groupType: g.group_type,
    state: g.state,
    managed: isManagedGroup(g),
    memberCount: countOf(g.member_count),
    collectionCount: countOf(g.spaces_count),
    dataSourceCount: countOf(g.data_sources_count),
  };
}

function collectionInfo(s: Space): CollectionInfo {
  return {
    token: s.token,
    id: String(s.id),
    name: s.name,
    description: s.description,
    spaceType: s.space_type,
    state: s.state,
    restricted: s.restricted,
    defaultAccess: s.default_access_level ?? null,
  };
}

function dataSourceInfo(d: DataSource): DataSourceInfo {
  return {
    token: d.token,
    id: String(d.id),
    name: d.name,
    displayName: d.display_name,
    adapter: d.adapter,
    defaultAccess: d.default_access_level ?? null,
  };
}
