/**
 * The emulator's data model: every object of both emulated APIs, the emulator clock, deterministic
 * seeding and persistence to a JSON state file (atomic write: temporary file + rename).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/** A Mode user (a person with a username, a user token and an email). */
export interface ModeUser {
  /** Numeric id, used as `inviter_id`, `invitee_id` and `member_id`. */
  id: number;
  /** Unique username; also the last path segment of the user's `_links` href. */
  username: string;
  /** The user token (used as `member_token`). */
  token: string;
  /** Email address as given. */
  email: string;
  /** Creation time (ISO 8601). */
  createdAt: string;
}

/** An API credential (token + secret) accepted by HTTP Basic auth on the Mode API. */
export interface Credential {
  /** API token (the Basic auth user name). */
  token: string;
  /** API secret (the Basic auth password). */
  secret: string;
  /** `personal` tokens act as their user; `workspace` tokens act for one workspace. */
  kind: "personal" | "workspace";
  /** Owner of a personal token. */
  userId: number | null;
  /** Workspace of a Workspace API token. */
  workspaceId: number | null;
}

/** A Mode workspace (the API's "organization"). */
export interface Workspace {
  /** Numeric id, reported as `organization_id`. */
  id: number;
  /** Workspace username, the `{workspace}` / `{account}` path segment. */
  username: string;
  /** Display name. */
  name: string;
}

/** Stored state of a workspace membership; `expired` is computed on read, never stored. */
export type StoredMembershipStatus = "active" | "invited" | "deactivated";

/** A user's membership of a workspace; its public token is the user's token. */
export interface Membership {
  /** Workspace id. */
  workspaceId: number;
  /** Member user id. */
  userId: number;
  /** Whether the member is a workspace admin. */
  admin: boolean;
  /** True until the invite is accepted. */
  invited: boolean;
  /** Stored state. */
  status: StoredMembershipStatus;
  /** When the member became active, or null. */
  activatedAt: string | null;
  /** Always false in the emulator. */
  managedByScim: boolean;
  /** Limited (view-only) member. */
  limited: boolean;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** A Mode workspace invite. */
export interface ModeInvite {
  /** Numeric id. */
  id: number;
  /** Workspace id. */
  workspaceId: number;
  /** Email as given in the (first) request. */
  email: string;
  /** Invitation message. */
  message: string;
  /** Inviting user id (null when a Workspace API token would have invited; not reachable). */
  inviterId: number | null;
  /** Invited user id. */
  inviteeId: number;
  /** Limited membership invite. */
  limited: boolean;
  /** Timestamps (ISO 8601) or null. */
  createdAt: string;
  /** When the invite was (last freshly) sent. */
  sentAt: string;
  /** Set when a pending invite is sent again. */
  resentAt: string | null;
  /** Never set by the emulator. */
  clickedAt: string | null;
  /** When the invitee accepted. */
  acceptedAt: string | null;
  /** `sentAt` + 7 days. */
  expiresAt: string;
}

/** A user group of a workspace. */
export interface UserGroup {
  /** Numeric id (`member_id` of a group space membership). */
  id: number;
  /** Group token. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Display name. */
  name: string;
}

/** A space (collection) of a workspace. */
export interface Space {
  /** Numeric id. */
  id: number;
  /** Space token, the `{space}` path segment. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Display name. */
  name: string;
}

/** Membership of a user or user group in a space. */
export interface SpaceMembership {
  /** Space membership token. */
  token: string;
  /** Space id. */
  spaceId: number;
  /** `User` or `UserGroup`. */
  memberType: "User" | "UserGroup";
  /** Token of the user or group. */
  memberToken: string;
  /** Numeric id of the user or group. */
  memberId: number;
  /** User who created it, or null when created with a Workspace API token. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** An organization of the organization-invites API. */
export interface Org {
  /** UUID, the `{org}` path segment. */
  id: string;
  /** Display name. */
  name: string;
  /** Bearer token of this organization. */
  token: string;
  /** UUID of the admin user reported as `invited_by_user`. */
  adminUserId: string;
}

/** An organization invite (JSON:API `organization_invites`). */
export interface OrgInvite {
  /** UUID. */
  id: string;
  /** Organization UUID. */
  organizationId: string;
  /** Recipient email as given. */
  recipientEmail: string;
  /** 64-hex secret needed to accept. */
  code: string;
  /** `admin` or null. */
  inviteUserAs: string | null;
  /** Timestamps (ISO 8601, whole seconds). */
  createdAt: string;
  /** Last update. */
  updatedAt: string;
  /** Client-supplied reference time or the creation time. */
  updatedInDbAt: string;
  /** Acceptance time or null. */
  acceptedAt: string | null;
  /** UUID of the accepting user. */
  acceptedByUserId: string | null;
  /** UUID of the user who cancelled it in the product UI. */
  cancelledByUserId: string | null;
  /** UUID of the inviting user. */
  invitedByUserId: string;
}

/** A seeded user as reported in the first-line JSON. */
export interface SeedUser {
  /** Username. */
  username: string;
  /** User (member) token. */
  token: string;
  /** Email address. */
  email: string;
}

/** A token + secret pair. */
export interface TokenPair {
  /** API token. */
  token: string;
  /** API secret. */
  secret: string;
}

/** The seeded values, stored with the state so a restart from a state file reports the same. */
export interface SeedCore {
  /** Mode side of the seed. */
  mode: {
    /** Workspace username. */
    workspace: string;
    /** Admin API token. */
    token: string;
    /** Admin API secret. */
    secret: string;
    /** Username of the admin member. */
    adminUsername: string;
    /** Space tokens. */
    spaces: string[];
    /** Seeded active members (the admin is listed separately). */
    users: SeedUser[];
    /** User group tokens. */
    userGroups: string[];
    /** Valid credentials of a user who is not a member of the workspace. */
    noAccess: TokenPair;
    /** A Workspace API token of the workspace. */
    workspaceApiToken: TokenPair;
  };
  /** Organization side of the seed. */
  org: {
    /** Organization UUID. */
    organizationId: string;
    /** Its bearer token. */
    token: string;
    /** A second organization. */
    otherOrganizationId: string;
    /** The second organization's token. */
    otherToken: string;
  };
}

/** Everything the emulator knows; this is what the state file holds. */
export interface StateData {
  /** File format version. */
  version: 1;
  /** Emulator clock = wall clock + this offset. */
  clockOffsetMs: number;
  /** Next numeric id. */
  nextId: number;
  /** Mode workspaces. */
  workspaces: Workspace[];
  /** Mode users. */
  users: ModeUser[];
  /** Mode API credentials. */
  credentials: Credential[];
  /** Workspace memberships. */
  memberships: Membership[];
  /** Workspace invites. */
  invites: ModeInvite[];
  /** User groups. */
  userGroups: UserGroup[];
  /** Spaces. */
  spaces: Space[];
  /** Space memberships. */
  spaceMemberships: SpaceMembership[];
  /** Organizations. */
  orgs: Org[];
  /** Organization invites. */
  orgInvites: OrgInvite[];
  /** Seed description. */
  seed: SeedCore;
}

/** Sizes of the default seed. */
export interface SeedSizes {
  /** Number of active non-admin members (default 5). */
  users?: number;
  /** Number of spaces (default 3). */
  spaces?: number;
  /** Number of user groups (default 2). */
  userGroups?: number;
}

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

/** Holds the state, the clock and persistence. */
export class Store {
  /** The current state (mutated in place by the models). */
  data: StateData;
  private dirty = false;

  /** Loads `statePath` when it exists, otherwise seeds. */
  constructor(
    private readonly sizes: SeedSizes,
    private readonly statePath?: string,
  ) {
    if (statePath && existsSync(statePath)) {
      const parsed = JSON.parse(readFileSync(statePath, "utf8")) as StateData;
      if (parsed.version !== 1 || !Array.isArray(parsed.users)) {
        throw new Error(`state file ${statePath} is not an emulator state file`);
      }
      this.data = parsed;
    } else {
      this.data = buildSeed(sizes);
      this.dirty = true;
    }
    this.saveIfDirty();
  }

  /** The emulator clock (wall clock plus the advanced offset). */
  now(): Date {
    return new Date(Date.now() + this.data.clockOffsetMs);
  }

  /** The emulator clock as ISO 8601 with milliseconds. */
  nowIso(): string {
    return this.now().toISOString();
  }

  /** Moves the clock forward. */
  advance(seconds: number): void {
    this.data.clockOffsetMs += seconds * 1000;
    this.markDirty();
  }

  /** Allocates a numeric id. */
  nextId(): number {
    this.markDirty();
    return this.data.nextId++;
  }

  /** Records that the state changed and must be saved. */
  markDirty(): void {
    this.dirty = true;
  }

  /** Back to the fresh seed. */
  reset(): void {
    this.data = buildSeed(this.sizes);
    this.markDirty();
    this.saveIfDirty();
  }

  /** Writes the state file if anything changed (atomic: temporary file + rename). */
  saveIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.save();
  }

  /** Writes the state file unconditionally (no-op without a state path). */
  save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.statePath);
  }
}
