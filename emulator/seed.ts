/**
 * Deterministic seeding: the fresh default state (identical for identical sizes) and token helpers.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { ModeUser, Org, SeedCore, SeedSizes, SeedUser, StateData, TokenPair, Workspace } from "./types";

const NAMES = ["ada", "grace", "alan", "edsger", "barbara", "ken", "dennis", "margaret", "linus", "guido"];
const SEED_TIME = Date.parse("2026-01-05T09:00:00.000Z");

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
  for (let i = 1; i <= nSpaces; i++) {
    data.spaces.push({
      id: nextId++,
      token: seedHex(`space:${i}`, 12),
      workspaceId: ws.id,
      name: `Space ${i}`,
    });
  }
  for (let i = 1; i <= nGroups; i++) {
    const token = seedHex(`group:${i}`, 12);
    data.userGroups.push({ id: nextId++, token, workspaceId: ws.id, name: `Group ${i}` });
  }
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
  data.seed = {
    mode: {
      workspace: ws.username,
      token: adminCred.token,
      secret: adminCred.secret,
      adminUsername: admin.username,
      spaces: data.spaces.map((s) => s.token),
      users,
      userGroups: data.userGroups.map((g) => g.token),
      noAccess,
      workspaceApiToken: wsToken,
    },
    org: { organizationId: org.id, token: org.token, otherOrganizationId: other.id, otherToken: other.token },
  };
  return data;
}
