/**
 * A small workspace as the Mode API lists it (snake_case, as on the wire), with every case the
 * command line must handle: admins, invitees in every state, a SCIM member and a SCIM group, names
 * with commas, quotes and newlines, direct and group grants on the same collection, default levels
 * of every kind, a personal collection, and data sources. `fakeLists` serves it as the CLI's
 * `WorkspaceLists`, counting the lists read.
 */
import type {
  ListedCollection,
  ListedDataSource,
  ListedGroup,
  ListedGroupMembership,
  ListedMembership,
  ListedPermission,
  WorkspaceLists,
} from "../../cli/gather";

/** Every list of one workspace. */
export interface RawWorkspace {
  memberships: ListedMembership[];
  groups: ListedGroup[];
  groupMemberships: Record<string, ListedGroupMembership[]>;
  spaces: ListedCollection[];
  spacePermissions: Record<string, ListedPermission[]>;
  dataSources: ListedDataSource[];
  dataSourcePermissions: Record<string, ListedPermission[]>;
}

const m = (username: string, state: string, extra: Partial<ListedMembership> = {}): ListedMembership => ({
  member_username: username,
  member_token: `u-${username}`,
  state,
  admin: false,
  managed_by_scim: false,
  ...extra,
});

let permissionCounter = 0;
const grant = (type: "Account" | "UserGroup", accessor: string, action: string): ListedPermission => ({
  token: `p${String(++permissionCounter).padStart(3, "0")}`,
  action,
  accessor_type: type,
  accessor_token: type === "Account" ? `u-${accessor}` : accessor,
});

/** The workspace `acme`. */
export function sampleWorkspace(): RawWorkspace {
  permissionCounter = 0;
  return {
    memberships: [
      m("ada", "active", { admin: true }),
      m("bob", "active"),
      m("carol", "invited"),
      m("dave", "deactivated"),
      m("erin", "active", { managed_by_scim: true }),
      m("frank", "expired"),
      m("Grace.Hopper", "active"),
      m("heidi", "active"),
    ],
    groups: [
      { token: "g-analysts", name: "Analysts", state: "active", managed: false },
      { token: "g-eng", name: 'Eng, "core"\nteam', state: "active", managed: false },
      { token: "g-scim", name: "Okta Finance", state: "active", managed: true },
      { token: "g-empty", name: "Empty", state: "active", managed: "false" },
    ],
    groupMemberships: {
      "g-analysts": [{ member_token: "u-ada" }, { member_token: "u-bob" }, { member_token: "u-carol" }],
      "g-eng": [{ member_token: "u-bob" }, { member_token: "u-dave" }, { member_token: "u-Grace.Hopper" }],
      "g-scim": [{ member_token: "u-erin" }],
      "g-empty": [],
    },
    spaces: [
      {
        token: "s-sales",
        name: "Sales",
        space_type: "custom",
        state: "active",
        default_access_level: "restricted",
        restricted: true,
      },
      {
        token: "s-public",
        name: "Public",
        space_type: "custom",
        state: "active",
        default_access_level: "view",
        restricted: false,
      },
      {
        token: "s-open",
        name: "Open",
        space_type: "custom",
        state: "active",
        default_access_level: "edit",
        restricted: false,
      },
      {
        token: "s-q3",
        name: 'Q3, "final"\nreport',
        space_type: "custom",
        state: "active",
        default_access_level: "restricted",
        restricted: true,
      },
      {
        token: "s-sales2",
        name: "Sales",
        space_type: "custom",
        state: "active",
        default_access_level: "restricted",
        restricted: true,
      },
      {
        token: "s-mine",
        name: "Ada's collection",
        space_type: "personal",
        state: "active",
        default_access_level: "restricted",
        restricted: true,
      },
    ],
    spacePermissions: {
      "s-sales": [grant("UserGroup", "g-analysts", "view"), grant("Account", "bob", "edit")],
      "s-public": [grant("UserGroup", "g-eng", "edit"), grant("Account", "heidi", "view")],
      "s-open": [],
      "s-q3": [
        grant("Account", "carol", "view"),
        grant("UserGroup", "g-scim", "view"),
        grant("Account", "frank", "edit"),
      ],
      "s-sales2": [grant("UserGroup", "g-eng", "view"), grant("UserGroup", "g-analysts", "edit")],
      "s-mine": [],
    },
    dataSources: [
      { token: "d-wh", name: "Warehouse", adapter: "snowflake", default_access_level: "restricted" },
      { token: "d-prod", name: "Product DB", adapter: "postgresql", default_access_level: "query" },
      { token: "d-lake", name: "Events Lake", adapter: "bigquery", default_access_level: "view" },
    ],
    dataSourcePermissions: {
      "d-wh": [grant("UserGroup", "g-analysts", "query"), grant("Account", "ada", "view")],
      "d-prod": [grant("UserGroup", "g-eng", "manage"), grant("Account", "heidi", "view")],
      "d-lake": [],
    },
  };
}

/** How many times each list was read. */
export type ListCounts = Record<string, number>;

/** The CLI's lists over `raw`; `counts` records each list read (`groups`, `spacePermissions/s-sales`, ...). */
export function fakeLists(raw: RawWorkspace, counts: ListCounts = {}): WorkspaceLists {
  const serve = <T>(key: string, items: T[] | undefined): AsyncIterable<T> => {
    counts[key] = (counts[key] ?? 0) + 1;
    if (items === undefined) throw new Error(`no list ${key}`);
    return (async function* () {
      yield* items;
    })();
  };
  return {
    memberships: () => serve("memberships", raw.memberships),
    groups: () => serve("groups", raw.groups),
    groupMemberships: (_w, g) => serve(`groupMemberships/${g}`, raw.groupMemberships[g]),
    collections: () => serve("spaces", raw.spaces),
    collectionPermissions: (_w, s) => serve(`spacePermissions/${s}`, raw.spacePermissions[s]),
    dataSources: () => serve("dataSources", raw.dataSources),
    dataSourcePermissions: (_w, d) => serve(`dataSourcePermissions/${d}`, raw.dataSourcePermissions[d]),
  };
}
