/**
 * Deterministic seeding: the fresh default state (identical for identical sizes) and token helpers.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  AccessLevel,
  AccessorType,
  ModeUser,
  Org,
  Permission,
  PermissionTarget,
  SeedCore,
  SeedSizes,
  SeedUser,
  StateData,
  TokenPair,
  Workspace,
} from "./types";

const NAMES = ["ada", "grace", "alan", "edsger", "barbara", "ken", "dennis", "margaret", "linus", "guido"];
const SEED_TIME = Date.parse("2026-01-05T09:00:00.000Z");
const DATA_SOURCES: [string, string][] = [
  ["Warehouse", "jdbc:snowflake"],
  ["Product DB", "jdbc:postgresql"],
  ["Events Lake", "jdbc:bigquery"],
];
/** Default access levels the seeded collections cycle through (Space 1 is restricted). */
const SPACE_LEVELS: AccessLevel[] = ["restricted", "view", "edit"];
/** Default access levels the seeded data sources cycle through. */
const DATA_SOURCE_LEVELS = ["restricted", "query", "view"];

/** Deterministic hex of the given length derived from a label. */
export function seedHex(label: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += createHash("sha256").update(`pulumi-mode-emulator:${label}:${i}`).digest("hex");
  }
  return out.slice(0, length);
}

/** Deterministic UUID (version 4 layout) derived from a label. */
export function seedUuid(label: string): string {
  const h = seedHex(label, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Random lowercase hex of the given length. */
export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

/** Random UUID. */
export function newUuid(): string {
  return randomUUID();
}

/** Builds the fresh default state; identical for identical sizes. */
export function buildSeed(sizes: SeedSizes = {}): StateData {
  const nUsers = sizes.users ?? 5;
  const nSpaces = sizes.spaces ?? 3;
  const nGroups = sizes.userGroups ?? 2;
  const nDataSources = sizes.dataSources ?? 3;
  const at = (i: number): string => new Date(SEED_TIME + i * 1000).toISOString();
  let nextId = 1;
  const ws: Workspace = { id: nextId++, username: "acme-analytics", name: "Acme Analytics" };
  const data: StateData = {
    version: 1,
    clockOffsetMs: 0,
    nextId: 0,
    workspaces: [ws],
    users: [],
    credentials: [],
    memberships: [],
    invites: [],
    userGroups: [],
    spaces: [],
    spaceMemberships: [],
    groupMemberships: [],
    dataSources: [],
    permissions: [],
    quirks: { dataSourcePermissionGet500: [] },
    orgs: [],
    orgInvites: [],
    seed: undefined as unknown as SeedCore,
  };
  const addUser = (username: string, email: string, i: number): ModeUser => {
    const u: ModeUser = {
      id: nextId++,
      username,
      token: seedHex(`user:${username}`, 12),
      email,
      createdAt: at(i),
    };
    data.users.push(u);
    return u;
  };
  const member = (u: ModeUser, admin: boolean, i: number): void => {
    data.memberships.push({
      workspaceId: ws.id,
      userId: u.id,
      admin,
      invited: false,
      status: "active",
      activatedAt: at(i),
      managedByScim: false,
      limited: false,
      createdAt: at(i),
    });
  };
  const admin = addUser("admin", "admin@acme.example", 0);
  member(admin, true, 0);
  const adminCred: TokenPair = { token: seedHex("cred:admin", 12), secret: seedHex("secret:admin", 40) };
  data.credentials.push({ ...adminCred, kind: "personal", userId: admin.id, workspaceId: null });
  const width = Math.max(4, String(nUsers).length);
  const users: SeedUser[] = [];
  for (let i = 1; i <= nUsers; i++) {
    const name = nUsers <= NAMES.length ? NAMES[i - 1] : `user${String(i).padStart(width, "0")}`;
    const u = addUser(name, `${name}@acme.example`, i);
    member(u, false, i);
    users.push({ username: u.username, token: u.token, email: u.email });
  }
  const outsider = addUser("outsider", "outsider@elsewhere.example", nUsers + 1);
  const noAccess: TokenPair = { token: seedHex("cred:outsider", 12), secret: seedHex("secret:outsider", 40) };
  data.credentials.push({ ...noAccess, kind: "personal", userId: outsider.id, workspaceId: null });
  const wsToken: TokenPair = {
    token: seedHex("cred:workspace", 12),
    secret: seedHex("secret:workspace", 40),
  };
  data.credentials.push({ ...wsToken, kind: "workspace", userId: null, workspaceId: ws.id });
  nextId = seedAccess(data, ws, admin, nextId, {
    nSpaces,
    nGroups,
    nDataSources,
    nPersonal: sizes.personalCollections ?? 0,
  });
  const org: Org = {
    id: seedUuid("org:acme"),
    name: "Acme",
    token: seedHex("org-token:acme", 40),
    adminUserId: seedUuid("org-admin:acme"),
  };
  const other: Org = {
    id: seedUuid("org:globex"),
    name: "Globex",
    token: seedHex("org-token:globex", 40),
    adminUserId: seedUuid("org-admin:globex"),
  };
  data.orgs.push(org, other);
  data.nextId = nextId;
  const usernameById = new Map(data.users.map((u) => [u.id, u.username]));
  const membersOf = new Map<number, string[]>();
  for (const gm of data.groupMemberships) {
    const list = membersOf.get(gm.groupId) ?? [];
    list.push(usernameById.get(gm.userId) ?? "");
    membersOf.set(gm.groupId, list);
  }
  data.seed = {
    mode: {
      workspace: ws.username,
      token: adminCred.token,
      secret: adminCred.secret,
      adminUsername: admin.username,
      spaces: data.spaces.filter((x) => x.spaceType === "custom").map((x) => x.token),
      users,
      userGroups: data.userGroups.map((g) => g.token),
      groups: data.userGroups.map((g) => ({
        token: g.token,
        name: g.name,
        members: membersOf.get(g.id) ?? [],
      })),
      collections: data.spaces
        .filter((x) => x.spaceType === "custom")
        .map((x) => ({ token: x.token, name: x.name, defaultAccessLevel: x.defaultAccessLevel })),
      personalCollections: data.spaces
        .filter((x) => x.spaceType === "personal")
        .map((x) => ({ token: x.token, username: usernameById.get(x.creatorId ?? -1) ?? "" })),
      dataSources: data.dataSources.map((x) => ({ token: x.token, name: x.name })),
      noAccess,
      workspaceApiToken: wsToken,
    },
    org: { organizationId: org.id, token: org.token, otherOrganizationId: other.id, otherToken: other.token },
  };
  return data;
}

/** How many of each access-model object {@link seedAccess} makes. */
interface AccessSizes {
  /** Custom collections. */
  nSpaces: number;
  /** Groups. */
  nGroups: number;
  /** Data sources. */
  nDataSources: number;
  /** Members (the first seeded ones) who get a personal collection. */
  nPersonal: number;
}

/**
 * Seeds the access model: custom collections `Space i` (default levels cycling restricted, view,
 * edit), groups `Group i` (seeded member j, 1-based, is in group ((j-1) mod groups) + 1), personal
 * collections of the first members, data sources, and grants: a restricted collection i grants its
 * group ((i-1) mod groups) `view` and member ((i-1) mod members) `edit`; a `view` collection grants
 * its group `edit`; data source k grants (k mod 3 = 1) its group `query` and its member `view`, or
 * (k mod 3 = 2) its group `manage`. Linear in the sizes. Returns the next free id.
 */
function seedAccess(
  data: StateData,
  ws: Workspace,
  admin: ModeUser,
  firstId: number,
  n: AccessSizes,
): number {
  let nextId = firstId;
  const at = (i: number): string => new Date(SEED_TIME + i * 1000).toISOString();
  const memberIds = new Set(data.memberships.filter((m) => m.workspaceId === ws.id).map((m) => m.userId));
  const members = data.users.filter((u) => u !== admin && memberIds.has(u.id));
  for (let i = 1; i <= n.nSpaces; i++) {
    data.spaces.push({
      id: nextId++,
      token: seedHex(`space:${i}`, 12),
      workspaceId: ws.id,
      name: `Space ${i}`,
      description: `Seeded collection ${i}.`,
      spaceType: "custom",
      state: "active",
      defaultAccessLevel: SPACE_LEVELS[(i - 1) % SPACE_LEVELS.length],
      creatorId: admin.id,
      createdAt: at(i),
    });
  }
  for (let i = 1; i <= n.nGroups; i++) {
    data.userGroups.push({
      id: nextId++,
      token: seedHex(`group:${i}`, 12),
      workspaceId: ws.id,
      name: `Group ${i}`,
      description: "",
      groupType: "custom",
      state: "active",
      managed: false,
      creatorId: admin.id,
      createdAt: at(i),
    });
  }
  if (n.nGroups > 0) {
    members.forEach((u, j) => {
      data.groupMemberships.push({
        token: seedHex(`group-membership:${j}`, 12),
        groupId: data.userGroups[j % n.nGroups].id,
        userId: u.id,
        memberToken: u.token,
        creatorId: admin.id,
        createdAt: at(j),
      });
    });
  }
  members.slice(0, n.nPersonal).forEach((u, j) => {
    data.spaces.push({
      id: nextId++,
      token: seedHex(`personal-space:${u.username}`, 12),
      workspaceId: ws.id,
      name: "Personal",
      description: `${u.username}'s personal collection.`,
      spaceType: "personal",
      state: "active",
      defaultAccessLevel: "restricted",
      creatorId: u.id,
      createdAt: at(j),
    });
  });
  for (let k = 1; k <= n.nDataSources; k++) {
    const [name, adapter] = DATA_SOURCES[k - 1] ?? [`Data source ${k}`, "jdbc:postgresql"];
    data.dataSources.push({
      id: nextId++,
      token: seedHex(`data-source:${k}`, 12),
      workspaceId: ws.id,
      name,
      description: `Seeded database connection ${k}.`,
      adapter,
      database: `db${k}`,
      host: `db${k}.acme.example`,
      defaultAccessLevel: DATA_SOURCE_LEVELS[(k - 1) % DATA_SOURCE_LEVELS.length],
      creatorId: admin.id,
      createdAt: at(k),
    });
  }
  const grant = (
    targetType: PermissionTarget,
    targetId: number,
    label: string,
    accessorType: AccessorType,
    accessorToken: string,
    action: string,
  ): void => {
    const p: Permission = {
      token: seedHex(`permission:${label}:${accessorType}`, 12),
      workspaceId: ws.id,
      targetType,
      targetId,
      action,
      accessorType,
      accessorToken,
      creatorId: admin.id,
      createdAt: at(targetId),
    };
    data.permissions.push(p);
  };
  const group = (i: number): string | undefined =>
    n.nGroups > 0 ? data.userGroups[(i - 1) % n.nGroups].token : undefined;
  const member = (i: number): string | undefined =>
    members.length > 0 ? members[(i - 1) % members.length].token : undefined;
  data.spaces.forEach((s, idx) => {
    if (s.spaceType !== "custom") return;
    const i = idx + 1;
    const g = group(i);
    const u = member(i);
    if (s.defaultAccessLevel === "restricted") {
      if (g) grant("space", s.id, s.token, "UserGroup", g, "view");
      if (u) grant("space", s.id, s.token, "Account", u, "edit");
    } else if (s.defaultAccessLevel === "view" && g) grant("space", s.id, s.token, "UserGroup", g, "edit");
  });
  data.dataSources.forEach((ds, idx) => {
    const k = idx + 1;
    const g = group(k);
    const u = member(k);
    if (k % 3 === 1) {
      if (g) grant("data_source", ds.id, ds.token, "UserGroup", g, "query");
      if (u) grant("data_source", ds.id, ds.token, "Account", u, "view");
    } else if (k % 3 === 2 && g) grant("data_source", ds.id, ds.token, "UserGroup", g, "manage");
  });
  return nextId;
}
