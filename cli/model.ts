/**
 * The plain model of one workspace's access, as read from its lists in one snapshot: people, groups,
 * collections and data sources with their grants. `gather.ts` builds it from the API; `access.ts`
 * (the report) and `generate.ts` (the program) read only this, so both are tested on plain data.
 */

/** A person in the workspace: a member or an invitee (one workspace membership). */
export interface Person {
  /** The username (unique in Mode regardless of case). */
  readonly username: string;
  /** The user's token (`member_token`): what grants and group memberships name the person by. */
  readonly userToken: string;
  /** `active`, `invited`, `expired` or `deactivated` (as Mode reports it). */
  readonly state: string;
  /** Whether the person is a workspace admin. */
  readonly admin: boolean;
  /** Whether the identity provider manages the membership (SCIM). */
  readonly managedByScim: boolean;
}

/** A group of the workspace (an active one: lists leave deleted groups out). */
export interface Group {
  /** The group's token. */
  readonly token: string;
  /** The group's name (unique among active groups, case-insensitively). */
  readonly name: string;
  /** Whether the identity provider manages the group (SCIM): its members change only there. */
  readonly managed: boolean;
  /** The members' usernames, sorted; undefined when the group's memberships were not read. */
  readonly memberUsernames?: readonly string[];
  /** User tokens of group memberships that match no workspace member (reported, never generated). */
  readonly unknownMemberTokens?: readonly string[];
}

/** Who a grant is for: a person (by username), a group (by token), or an accessor not in the lists. */
export type Accessor =
  | { readonly type: "user"; readonly username: string }
  | { readonly type: "group"; readonly token: string }
  | { readonly type: "unknown"; readonly accessorType: string; readonly accessorToken: string };

/** One permission on a collection or a data source. */
export interface Grant {
  /** Who holds it. */
  readonly accessor: Accessor;
  /** `view`/`edit` on a collection, `view`/`query`/`manage` on a data source. */
  readonly action: string;
  /** The permission's token. */
  readonly permissionToken: string;
}

/** A custom collection (`space_type: custom`) with its default level and grants. */
export interface Collection {
  /** The collection's token. */
  readonly token: string;
  /** Its name (names are not unique). */
  readonly name: string;
  /** `restricted`, `view` or `edit`: what every active member gets without a grant. */
  readonly defaultAccessLevel: string;
  /** Every permission on the collection. */
  readonly grants: readonly Grant[];
}

/** A data source (database connection) with its default level and grants. */
export interface DataSource {
  /** The data source's token. */
  readonly token: string;
  /** Its name. */
  readonly name: string;
  /** Its adapter (`postgresql`, `snowflake`, ...), when Mode says. */
  readonly adapter?: string;
  /**
   * Mode's `default_access_level`: `restricted`, or `view`/`query`/`manage` (what every active member
   * gets without a grant, counted like a collection's default level). Undefined when Mode sends none.
   */
  readonly defaultAccessLevel?: string;
  /** Every permission on the data source. */
  readonly grants: readonly Grant[];
}

/** One snapshot of a workspace, read from its lists. */
export interface WorkspaceSnapshot {
  /** The workspace's username. */
  readonly workspace: string;
  /** The Mode API base URL it was read from. */
  readonly apiUrl: string;
  /** Every member and invitee, sorted by username. */
  readonly people: readonly Person[];
  /** Every active group, sorted by name. */
  readonly groups: readonly Group[];
  /** Custom collections, sorted by name then token (undefined when not read). */
  readonly collections?: readonly Collection[];
  /** Data sources, sorted by name then token (undefined when not read). */
  readonly dataSources?: readonly DataSource[];
}

/** The levels of a collection, lowest first. */
export const COLLECTION_LEVELS = ["view", "edit"] as const;

/** The levels of a data source, lowest first. */
export const DATA_SOURCE_LEVELS = ["view", "query", "manage"] as const;

/**
 * Compares two strings the way every list of the model is sorted: in natural order (`Space 2`
 * before `Space 10`: runs of digits compare by value), case-insensitively, then exactly. It needs no
 * locale, so the same names sort the same everywhere.
 */
export function byText(a: string, b: string): number {
  const x = a.toLowerCase().match(CHUNKS) ?? [];
  const y = b.toLowerCase().match(CHUNKS) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (DIGITS.test(p) && DIGITS.test(q)) {
      const m = p.replace(/^0+(?=\d)/, "");
      const n = q.replace(/^0+(?=\d)/, "");
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
      continue; // equal values written with different zeros: the exact comparison below decides
    }
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Runs of digits, and runs of anything else. */
const CHUNKS = /\d+|\D+/g;
const DIGITS = /^\d/;
