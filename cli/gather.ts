/**
 * One snapshot of a workspace from its lists only: memberships, groups, each group's memberships,
 * collections, each collection's permissions, data sources and each one's permissions. Each list is
 * read once, whole (the clients yield a list only once every page is read and counted), through the
 * same client as the provider, so the same per-host limiter and retries pace it. Nothing is written.
 */
import {
  byText,
  type Accessor,
  type Collection,
  type DataSource,
  type Grant,
  type Group,
  type Person,
  type WorkspaceSnapshot,
} from "./model";

/** A workspace membership as listed (the fields read). */
export interface ListedMembership {
  /** Username. */
  readonly member_username: string;
  /** The user's token. */
  readonly member_token: string;
  /** Membership state. */
  readonly state: string;
  /** Admin flag. */
  readonly admin: boolean;
  /** SCIM flag (absent counts as false). */
  readonly managed_by_scim?: boolean;
}

/** A group as listed. */
export interface ListedGroup {
  /** Token. */
  readonly token: string;
  /** Name. */
  readonly name: string;
  /** `active` (lists leave deleted ones out; anything else is skipped). */
  readonly state?: string;
  /** SCIM-managed (the published description types it as a string: `"true"` counts too). */
  readonly managed?: boolean | string | null;
}

/** A group membership as listed. */
export interface ListedGroupMembership {
  /** The member's user token. */
  readonly member_token: string;
}

/** A collection (`space`) as listed. */
export interface ListedCollection {
  /** Token. */
  readonly token: string;
  /** Name. */
  readonly name: string;
  /** `custom` or `personal`. */
  readonly space_type?: string;
  /** `active`, or `soft_deleted` (skipped). */
  readonly state?: string;
  /** `restricted`, `view` or `edit`. */
  readonly default_access_level?: string | null;
  /** True exactly when the level is `restricted` (used when the level is absent). */
  readonly restricted?: boolean | string | null;
}

/** A data source as listed. */
export interface ListedDataSource {
  /** Token. */
  readonly token: string;
  /** Name. */
  readonly name: string;
  /** Adapter. */
  readonly adapter?: string | null;
  /** Default access level. */
  readonly default_access_level?: string | null;
}

/** A permission (collection or data source) as listed. */
export interface ListedPermission {
  /** Token. */
  readonly token: string;
  /** Action. */
  readonly action: string;
  /** `Account` or `UserGroup`. */
  readonly accessor_type: string;
  /** The user's or group's token. */
  readonly accessor_token: string;
}

/** The lists a snapshot reads, each a whole listing. */
export interface WorkspaceLists {
  /** `GET /{workspace}/memberships`. */
  memberships(workspace: string): AsyncIterable<ListedMembership>;
  /** `GET /{workspace}/groups`. */
  groups(workspace: string): AsyncIterable<ListedGroup>;
  /** `GET /{workspace}/groups/{group}/memberships`. */
  groupMemberships(workspace: string, group: string): AsyncIterable<ListedGroupMembership>;
  /** `GET /{workspace}/spaces` (custom collections and the credentials' own personal one). */
  collections(workspace: string): AsyncIterable<ListedCollection>;
  /** `GET /{workspace}/spaces/{space}/permissions`. */
  collectionPermissions(workspace: string, collection: string): AsyncIterable<ListedPermission>;
  /** `GET /{workspace}/data_sources`. */
  dataSources(workspace: string): AsyncIterable<ListedDataSource>;
  /** `GET /{workspace}/data_sources/{data_source}/permissions`. */
  dataSourcePermissions(workspace: string, dataSource: string): AsyncIterable<ListedPermission>;
}

/**
 * What a snapshot reads beyond memberships (always read: usernames resolve through them). Groups are
 * read when any of these is: grants and members name groups.
 */
export interface GatherParts {
  /** Each group's memberships. */
  readonly groupMembers: boolean;
  /** Collections and their permissions. */
  readonly collections: boolean;
  /** Data sources and their permissions. */
  readonly dataSources: boolean;
}

/** Every part. */
export const ALL_PARTS: GatherParts = { groupMembers: true, collections: true, dataSources: true };

/** Told about each list as it is read (the progress line). */
export interface GatherObserver {
  /** `count` more lists are known to be read. */
  listsPlanned(count: number): void;
  /** A list was read whole, with `items` items. */
  listRead(noun: string, items: number): void;
}

/**
 * Reads one snapshot of `workspace`. Lists that do not depend on each other are read concurrently;
 * the client's per-host limiter decides how many requests are in flight.
 */
export async function gather(
  lists: WorkspaceLists,
  workspace: string,
  apiUrl: string,
  parts: GatherParts = ALL_PARTS,
  observer?: GatherObserver,
): Promise<WorkspaceSnapshot> {
  const read = async <T>(noun: string, source: AsyncIterable<T>): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of source) items.push(item);
    observer?.listRead(noun, items.length);
    return items;
  };
  const withGroups = parts.groupMembers || parts.collections || parts.dataSources;
  observer?.listsPlanned(1 + [withGroups, parts.collections, parts.dataSources].filter(Boolean).length);
  const [memberships, listedGroups, listedCollections, listedDataSources] = await Promise.all([
    read("memberships", lists.memberships(workspace)),
    withGroups ? read("groups", lists.groups(workspace)) : [],
    parts.collections ? read("collections", lists.collections(workspace)) : undefined,
    parts.dataSources ? read("data sources", lists.dataSources(workspace)) : undefined,
  ]);

  const people = memberships.map(personOf).sort((a, b) => byText(a.username, b.username));
  const activeGroups = listedGroups.filter((g) => (g.state ?? "active") === "active");
  const usernameByToken = new Map(people.map((p) => [p.userToken, p.username]));
  const known: KnownAccessors = { usernameByToken, groupTokens: new Set(activeGroups.map((g) => g.token)) };
  const customCollections = (listedCollections ?? []).filter(isCustomCollection);
  observer?.listsPlanned(
    (parts.groupMembers ? activeGroups.length : 0) +
      customCollections.length +
      (listedDataSources?.length ?? 0),
  );

  const [groups, collections, dataSources] = await Promise.all([
    Promise.all(
      activeGroups.map(async (g): Promise<Group> => {
        const base = { token: g.token, name: g.name, managed: truthy(g.managed) };
        if (!parts.groupMembers) return base;
        const members = await read(`members of group ${g.name}`, lists.groupMemberships(workspace, g.token));
        const usernames: string[] = [];
        const unknown: string[] = [];
        for (const m of members) {
          const username = usernameByToken.get(m.member_token);
          if (username === undefined) unknown.push(m.member_token);
          else usernames.push(username);
        }
        return {
          ...base,
          memberUsernames: [...new Set(usernames)].sort(byText),
          unknownMemberTokens: unknown.sort(byText),
        };
      }),
    ),
    listedCollections === undefined
      ? undefined
      : Promise.all(
          customCollections.map(async (c): Promise<Collection> => {
            const permissions = await read(
              `permissions of collection ${c.name}`,
              lists.collectionPermissions(workspace, c.token),
            );
            return {
              token: c.token,
              name: c.name,
              defaultAccessLevel: collectionLevel(c),
              grants: grantsOf(permissions, known),
            };
          }),
        ),
    listedDataSources === undefined
      ? undefined
      : Promise.all(
          listedDataSources.map(async (d): Promise<DataSource> => {
            const permissions = await read(
              `permissions of data source ${d.name}`,
              lists.dataSourcePermissions(workspace, d.token),
            );
            return {
              token: d.token,
              name: d.name,
              ...(d.adapter ? { adapter: d.adapter } : {}),
              ...(d.default_access_level ? { defaultAccessLevel: d.default_access_level } : {}),
              grants: grantsOf(permissions, known),
            };
          }),
        ),
  ]);

  const byNameThenToken = (a: { name: string; token: string }, b: { name: string; token: string }) =>
    byText(a.name, b.name) || byText(a.token, b.token);
  return {
    workspace,
    apiUrl,
    people,
    groups: groups.sort(byNameThenToken),
    ...(collections ? { collections: collections.sort(byNameThenToken) } : {}),
    ...(dataSources ? { dataSources: dataSources.sort(byNameThenToken) } : {}),
  };
}

/** A person from a listed membership. */
function personOf(m: ListedMembership): Person {
  return {
    username: m.member_username,
    userToken: m.member_token,
    state: m.state,
    admin: m.admin === true,
    managedByScim: m.managed_by_scim === true,
  };
}

/**
 * Whether a listed collection is a live custom collection. Personal collections belong to one member
 * and are left out of the snapshot (the list without `filter=all` shows only the credentials' own).
 */
function isCustomCollection(c: ListedCollection): boolean {
  return (c.space_type ?? "custom") === "custom" && (c.state ?? "active") === "active";
}

/** A collection's default level; `restricted: true` without a level reads as `restricted`. */
function collectionLevel(c: ListedCollection): string {
  if (c.default_access_level) return c.default_access_level;
  return truthy(c.restricted) ? "restricted" : "view";
}

/** Who a grant can name: the workspace's people (by user token) and its active groups. */
interface KnownAccessors {
  readonly usernameByToken: ReadonlyMap<string, string>;
  readonly groupTokens: ReadonlySet<string>;
}

/** Grants with accessors resolved, sorted by accessor then token. */
function grantsOf(permissions: ListedPermission[], known: KnownAccessors): Grant[] {
  return permissions
    .map((p): Grant => ({ accessor: accessorOf(p, known), action: p.action, permissionToken: p.token }))
    .sort(
      (a, b) =>
        byText(accessorKey(a.accessor), accessorKey(b.accessor)) ||
        byText(a.permissionToken, b.permissionToken),
    );
}

/** The accessor of a permission; one that names no listed person or group is `unknown`. */
function accessorOf(p: ListedPermission, known: KnownAccessors): Accessor {
  if (p.accessor_type === "UserGroup" && known.groupTokens.has(p.accessor_token)) {
    return { type: "group", token: p.accessor_token };
  }
  const username = p.accessor_type === "Account" ? known.usernameByToken.get(p.accessor_token) : undefined;
  if (username !== undefined) return { type: "user", username };
  return { type: "unknown", accessorType: p.accessor_type, accessorToken: p.accessor_token };
}

/** A sort key of an accessor: users, then groups, then unknown ones. */
export function accessorKey(a: Accessor): string {
  switch (a.type) {
    case "user":
      return `1 ${a.username}`;
    case "group":
      return `2 ${a.token}`;
    case "unknown":
      return `3 ${a.accessorType} ${a.accessorToken}`;
  }
}

/** A flag the published description types as a string: `true` and `"true"` count. */
function truthy(value: boolean | string | null | undefined): boolean {
  return value === true || value === "true";
}
