/**
 * Who can reach what, and through which path: one row per (person, collection) and (person, data
 * source) with access, computed from a {@link WorkspaceSnapshot}.
 *
 * Paths: `default` (the resource's default level, for active members only), `direct` (a grant to the
 * person), `group:<name>` (a grant to a group the person is in). A row's level is the highest any of
 * its paths gives; every path that gives access is listed, even one that gives less than the level.
 * A data source's `default_access_level` counts exactly like a collection's: `view`, `query` or
 * `manage` for every active member; `restricted` (or none) for nobody.
 */
import {
  byText,
  COLLECTION_LEVELS,
  DATA_SOURCE_LEVELS,
  type Grant,
  type Group,
  type Person,
  type WorkspaceSnapshot,
} from "./model";

/** What a row is about. */
export type RowKind = "collection" | "data_source";

/** The columns of a report, in order (the csv header). */
export const COLUMNS = [
  "kind",
  "username",
  "state",
  "admin",
  "managed_by_scim",
  "resource",
  "resource_token",
  "level",
  "via",
] as const;

/** One person's access to one collection or data source. */
export interface AccessRow {
  /** `collection` or `data_source`. */
  readonly kind: RowKind;
  /** The person's username. */
  readonly username: string;
  /** Their membership state. */
  readonly state: string;
  /** Whether they are a workspace admin. */
  readonly admin: boolean;
  /** Whether SCIM manages their membership. */
  readonly managed_by_scim: boolean;
  /** The collection's or data source's name. */
  readonly resource: string;
  /** Its token. */
  readonly resource_token: string;
  /** The highest level any path gives. */
  readonly level: string;
  /** Every path that gives access: `default`, `direct`, `group:<name>` (in that order, groups by name). */
  readonly via: readonly string[];
}

/** Counts of a report. */
export interface AccessSummary {
  /** The workspace. */
  readonly workspace: string;
  /** Everyone in the workspace (members and invitees). */
  readonly people: number;
  /** People by membership state. */
  readonly people_by_state: Readonly<Record<string, number>>;
  /** Invitees who have not accepted yet (`invited`). */
  readonly pending_invites: number;
  /** Workspace admins. */
  readonly admins: number;
  /** SCIM-managed memberships. */
  readonly managed_by_scim: number;
  /** Active groups. */
  readonly groups: number;
  /** Of which managed by the identity provider. */
  readonly managed_groups: number;
  /** Custom collections. */
  readonly collections: number;
  /** Collections whose default level is `restricted`. */
  readonly restricted_collections: number;
  /** Data sources. */
  readonly data_sources: number;
  /** Data sources nobody reaches by default (`restricted` or no default level). */
  readonly restricted_data_sources: number;
  /** Rows by kind. */
  readonly rows: Readonly<Record<RowKind, number>>;
  /** How many (person, resource) accesses each path gives (a row with two paths counts in both). */
  readonly grants_by_path: { readonly default: number; readonly direct: number; readonly group: number };
  /** Grants whose accessor is neither a listed person nor an active group (none in a consistent workspace). */
  readonly unresolved_grants: number;
}

/** A whole report. */
export interface AccessReport {
  /** The rows, collections first, then by resource name, token and username. */
  readonly rows: readonly AccessRow[];
  /** The counts. */
  readonly summary: AccessSummary;
}

/** The resource a row is about, as the snapshot has it. */
interface Resource {
  readonly name: string;
  readonly token: string;
  readonly defaultAccessLevel?: string;
  readonly grants: readonly Grant[];
}

/** Computes the report of a snapshot. */
export function accessReport(snapshot: WorkspaceSnapshot): AccessReport {
  const collections = snapshot.collections ?? [];
  const dataSources = snapshot.dataSources ?? [];
  const rows = [
    ...collections.flatMap((c) => rowsOf("collection", COLLECTION_LEVELS, c, snapshot)),
    ...dataSources.flatMap((d) => rowsOf("data_source", DATA_SOURCE_LEVELS, d, snapshot)),
  ];
  const byState: Record<string, number> = {};
  for (const p of snapshot.people) byState[p.state] = (byState[p.state] ?? 0) + 1;
  const paths = { default: 0, direct: 0, group: 0 };
  for (const row of rows) {
    for (const via of row.via) paths[via.startsWith("group:") ? "group" : (via as "default" | "direct")] += 1;
  }
  const unresolved = [...collections, ...dataSources]
    .flatMap((r) => r.grants)
    .filter((g) => g.accessor.type === "unknown").length;
  return {
    rows,
    summary: {
      workspace: snapshot.workspace,
      people: snapshot.people.length,
      people_by_state: sortedRecord(byState),
      pending_invites: byState.invited ?? 0,
      admins: snapshot.people.filter((p) => p.admin).length,
      managed_by_scim: snapshot.people.filter((p) => p.managedByScim).length,
      groups: snapshot.groups.length,
      managed_groups: snapshot.groups.filter((g) => g.managed).length,
      collections: collections.length,
      restricted_collections: collections.filter((c) => c.defaultAccessLevel === "restricted").length,
      data_sources: dataSources.length,
      restricted_data_sources: dataSources.filter((d) => !opensByDefault(DATA_SOURCE_LEVELS, d)).length,
      rows: {
        collection: rows.filter((r) => r.kind === "collection").length,
        data_source: rows.filter((r) => r.kind === "data_source").length,
      },
      grants_by_path: paths,
      unresolved_grants: unresolved,
    },
  };
}

/** The rows of one resource, sorted by username. */
function rowsOf(
  kind: RowKind,
  levels: readonly string[],
  resource: Resource,
  snapshot: WorkspaceSnapshot,
): AccessRow[] {
  const groups = new Map<string, Group>(snapshot.groups.map((g) => [g.token, g]));
  const paths = new Map<string, { level: number; via: string }[]>(); // lower-cased username → paths
  const add = (username: string, action: string, via: string): void => {
    const level = levels.indexOf(action);
    if (level < 0) return; // an action this report does not know gives no known access
    const key = username.toLowerCase();
    const found = paths.get(key);
    if (found) found.push({ level, via });
    else paths.set(key, [{ level, via }]);
  };
  if (opensByDefault(levels, resource)) {
    for (const p of snapshot.people) {
      if (p.state === "active") add(p.username, resource.defaultAccessLevel ?? "", "default");
    }
  }
  for (const grant of resource.grants) {
    const accessor = grant.accessor;
    if (accessor.type === "user") add(accessor.username, grant.action, "direct");
    if (accessor.type === "group") {
      const group = groups.get(accessor.token);
      if (group === undefined) continue;
      for (const username of group.memberUsernames ?? []) add(username, grant.action, `group:${group.name}`);
    }
  }
  const rows: AccessRow[] = [];
  for (const person of snapshot.people) {
    const found = paths.get(person.username.toLowerCase());
    if (!found) continue;
    rows.push(rowOf(kind, levels, resource, person, found));
  }
  return rows.sort((a, b) => byText(a.username, b.username));
}

function rowOf(
  kind: RowKind,
  levels: readonly string[],
  resource: Resource,
  person: Person,
  found: { level: number; via: string }[],
): AccessRow {
  const order = (via: string): string => (via === "default" ? "0" : via === "direct" ? "1" : `2${via}`);
  const via = [...new Set(found.map((f) => f.via))].sort((a, b) => byText(order(a), order(b)));
  return {
    kind,
    username: person.username,
    state: person.state,
    admin: person.admin,
    managed_by_scim: person.managedByScim,
    resource: resource.name,
    resource_token: resource.token,
    level: levels[Math.max(...found.map((f) => f.level))] ?? "",
    via,
  };
}

/** Whether a resource's default level gives active members access (`restricted` or none does not). */
function opensByDefault(levels: readonly string[], resource: { defaultAccessLevel?: string }): boolean {
  return resource.defaultAccessLevel !== undefined && levels.includes(resource.defaultAccessLevel);
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byText(a, b)));
}
