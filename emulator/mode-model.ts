/**
 * Mode API rules: authentication, workspace access, invites, workspace memberships and space
 * memberships. Functions take the {@link Store} and throw {@link ApiError} for every refusal.
 */
import { timingSafeEqual } from "node:crypto";
import { forgetMember } from "./access-cascade";
import { ApiError, isEmail, isObject, normEmail } from "./http";
import { Credential, Membership, ModeInvite, ModeUser, Store, Workspace, randomHex } from "./store";

/** Lifetime of a workspace invite. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
/** Longest accepted invite message. */
export const MAX_MESSAGE = 1000;

/** Public state of a membership (`expired` is computed from the invite and the clock). */
export type MembershipState = "active" | "invited" | "expired" | "deactivated";

/** Who is calling, within a workspace. */
export interface Access {
  /** The workspace. */
  ws: Workspace;
  /** The credential used. */
  cred: Credential;
  /** The acting user's membership (null for a Workspace API token). */
  membership: Membership | null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks HTTP Basic credentials. @throws 401 */
export function authenticate(store: Store, authorization: string | undefined): Credential {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
  if (m) {
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i > 0) {
      const token = decoded.slice(0, i);
      const secret = decoded.slice(i + 1);
      const cred = store.data.credentials.find((c) => c.token === token);
      if (cred && safeEqual(cred.secret, secret)) return cred;
    }
  }
  throw new ApiError(401, "unauthorized", "Missing or invalid API token and secret (HTTP Basic auth).");
}

/** The user with the given id. */
export function userById(store: Store, id: number | null): ModeUser | undefined {
  return id === null ? undefined : store.data.users.find((u) => u.id === id);
}

/** The workspace's membership of a user. */
export function membershipOf(store: Store, ws: Workspace, userId: number): Membership | undefined {
  return store.data.memberships.find((m) => m.workspaceId === ws.id && m.userId === userId);
}

/** The latest invite of a user to a workspace. */
export function inviteOf(store: Store, ws: Workspace, userId: number): ModeInvite | undefined {
  return store.data.invites.find((i) => i.workspaceId === ws.id && i.inviteeId === userId);
}

/** Computes the public state: an unaccepted invite past `expires_at` reports `expired`. */
export function effectiveState(store: Store, m: Membership): MembershipState {
  if (m.status !== "invited") return m.status;
  const ws = store.data.workspaces.find((w) => w.id === m.workspaceId);
  const inv = ws ? inviteOf(store, ws, m.userId) : undefined;
  if (inv && !inv.acceptedAt && Date.parse(inv.expiresAt) <= store.now().getTime()) return "expired";
  return "invited";
}

/** Authenticates the request's `Authorization` header and resolves the workspace. @throws 401, 404, 403 */
export function callerAccess(store: Store, authorization: string | undefined, workspace: string): Access {
  return workspaceAccess(store, authenticate(store, authorization), workspace);
}

/**
 * Only admins (and Workspace API tokens, which act as admins) may `action` (e.g. "remove members").
 * @throws 403
 */
export function assertAdmin(access: Access, action: string): void {
  if (access.membership && !access.membership.admin) {
    throw new ApiError(403, "forbidden", `Only workspace admins can ${action}.`);
  }
}

/** Resolves the workspace and checks the caller may use it. @throws 404, 403 */
export function workspaceAccess(store: Store, cred: Credential, name: string): Access {
  const ws = store.data.workspaces.find((w) => w.username === name);
  if (!ws) throw new ApiError(404, "not_found", `Workspace ${name} not found.`);
  if (cred.kind === "workspace") {
    if (cred.workspaceId !== ws.id) throw forbidden(ws);
    return { ws, cred, membership: null };
  }
  const m = cred.userId === null ? undefined : membershipOf(store, ws, cred.userId);
  if (!m || effectiveState(store, m) !== "active") throw forbidden(ws);
  return { ws, cred, membership: m };
}

function forbidden(ws: Workspace): ApiError {
  return new ApiError(403, "forbidden", `These credentials do not have access to workspace ${ws.username}.`);
}

/**
 * Username comparison. Decision (the contract is silent on case): Mode usernames are unique
 * case-insensitively. A username keeps the case it was created with, but `Ada` and `ada` are the
 * same name: creating one when the other exists is refused (or, for a generated name, skipped), and
 * the control interface looks usernames up case-insensitively.
 */
export function sameUsername(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The user with this username (case-insensitive). */
export function userByUsername(store: Store, username: string): ModeUser | undefined {
  return store.data.users.find((u) => sameUsername(u.username, username));
}

function uniqueUsername(store: Store, email: string): string {
  const base =
    email
      .split("@")[0]
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^_+|_+$/g, "") || "user";
  const taken = (n: string): boolean =>
    userByUsername(store, n) !== undefined || store.data.workspaces.some((w) => sameUsername(w.username, n));
  let name = base;
  for (let i = 2; taken(name); i++) name = `${base}${i}`;
  return name;
}

/** Creates a user (fresh random token). @throws 400 when the username is taken (case-insensitively) */
export function createUser(store: Store, email: string, username?: string): ModeUser {
  if (username !== undefined && userByUsername(store, username)) {
    throw new ApiError(400, "bad_request", `Username ${username} is taken.`);
  }
  const user: ModeUser = {
    id: store.nextId(),
    username: username ?? uniqueUsername(store, email),
    token: randomHex(12),
    email,
    createdAt: store.nowIso(),
  };
  store.data.users.push(user);
  return user;
}

/** Adds a membership. */
export function addMembership(store: Store, ws: Workspace, user: ModeUser, invited: boolean): Membership {
  const now = store.nowIso();
  const m: Membership = {
    workspaceId: ws.id,
    userId: user.id,
    admin: false,
    invited,
    status: invited ? "invited" : "active",
    activatedAt: invited ? null : now,
    managedByScim: false,
    limited: false,
    createdAt: now,
  };
  store.data.memberships.push(m);
  store.markDirty();
  return m;
}

/** Validates an invite request body; returns the email and message. @throws 400 */
export function parseInviteBody(body: unknown): { email: string; message: string } {
  const invite = isObject(body) ? body.invite : undefined;
  if (!isObject(invite)) throw new ApiError(400, "bad_request", "The body must contain an invite object.");
  const invitee = invite.invitee;
  if (!isObject(invitee)) throw new ApiError(400, "bad_request", "invite.invitee must be an object.");
  if (!isEmail(invitee.email)) {
    throw new ApiError(400, "bad_request", "invite.invitee.email must be a valid email address.");
  }
  // The published request body (CreateInviteRequestBody) requires the message; it may be empty.
  const message = invite.message;
  if (message === undefined || message === null) {
    throw new ApiError(400, "bad_request", "invite.message is required (it may be empty).");
  }
  if (typeof message !== "string") throw new ApiError(400, "bad_request", "invite.message must be a string.");
  if (message.length > MAX_MESSAGE) {
    throw new ApiError(400, "bad_request", `invite.message must be at most ${MAX_MESSAGE} characters.`);
  }
  return { email: invitee.email.trim(), message };
}

/** Workspace API tokens cannot invite (Mode's documented rule). @throws 403 */
export function assertCanInvite(access: Access): void {
  if (access.cred.kind === "workspace") {
    throw new ApiError(
      403,
      "forbidden",
      "Workspace API tokens cannot be used with the invites endpoint; use a personal API token of a workspace member.",
    );
  }
}

/** Invites an email to the workspace (see the rules in API-CONTRACT.md). @throws 403, 400 */
export function createInvite(store: Store, access: Access, email: string, message: string): ModeInvite {
  assertCanInvite(access);
  const { ws } = access;
  const now = store.now();
  const fresh = (): Pick<ModeInvite, "sentAt" | "expiresAt" | "resentAt" | "acceptedAt"> => ({
    sentAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
    resentAt: null,
    acceptedAt: null,
  });
  let user = store.data.users.find((u) => normEmail(u.email) === normEmail(email));
  const existing = user && membershipOf(store, ws, user.id);
  if (user && existing) {
    const state = effectiveState(store, existing);
    if (state === "active")
      throw new ApiError(400, "bad_request", `${email} is already a member of ${ws.username}.`);
    const inv = inviteOf(store, ws, user.id);
    if (inv && state === "invited") {
      inv.resentAt = now.toISOString();
      store.markDirty();
      return inv;
    }
    // Decision (docs silent): re-inviting an expired or deactivated member issues a fresh invite
    // on the same invite record and the same membership: new sent_at/expires_at, resent_at
    // cleared, state back to "invited" (how an admin restores a deactivated member's access).
    existing.status = "invited";
    existing.invited = true;
    store.markDirty();
    if (inv) {
      Object.assign(inv, fresh(), { message });
      return inv;
    }
  }
  if (!user) user = createUser(store, email);
  if (!existing) addMembership(store, ws, user, true);
  const inv: ModeInvite = {
    id: store.nextId(),
    workspaceId: ws.id,
    email,
    message,
    inviterId: access.cred.userId,
    inviteeId: user.id,
    limited: false,
    createdAt: now.toISOString(),
    clickedAt: null,
    ...fresh(),
  };
  store.data.invites.push(inv);
  return inv;
}

/** The workspace's memberships in list order. */
export function listMemberships(store: Store, ws: Workspace): Membership[] {
  return store.data.memberships.filter((m) => m.workspaceId === ws.id);
}

/** Finds a membership by its token (the member's user token). @throws 404 */
export function findMembership(store: Store, ws: Workspace, token: string): Membership {
  const user = store.data.users.find((u) => u.token === token);
  const m = user && membershipOf(store, ws, user.id);
  if (!m) throw new ApiError(404, "not_found", "Membership not found.");
  return m;
}

/**
 * Removes a membership (see API-CONTRACT.md): its invites are revoked (accepting one is no longer
 * possible; a later invite of the same email creates a fresh invite and a fresh membership) and the
 * member's space memberships, group memberships and permissions in the workspace go too (see
 * {@link removeFromWorkspace}). Workspace API tokens act as admins.
 * @throws 403 for a non-admin member's credentials, 400 for the credentials' own membership
 */
export function deleteMembership(store: Store, access: Access, m: Membership): void {
  assertAdmin(access, "remove members");
  if (access.cred.kind === "personal" && access.cred.userId === m.userId) {
    throw new ApiError(
      400,
      "bad_request",
      "The API user cannot remove itself from the workspace: these credentials belong to this member.",
    );
  }
  removeFromWorkspace(store, m);
}

/**
 * Takes a person out of a workspace without the API's caller rules (the membership delete and the
 * control interface share it): the membership, its invites, and the person's space memberships, group
 * memberships and permissions in the workspace.
 */
export function removeFromWorkspace(store: Store, m: Membership): void {
  const d = store.data;
  const user = userById(store, m.userId);
  const spaceIds = new Set(d.spaces.filter((s) => s.workspaceId === m.workspaceId).map((s) => s.id));
  d.memberships = d.memberships.filter((x) => x !== m);
  d.invites = d.invites.filter((i) => !(i.workspaceId === m.workspaceId && i.inviteeId === m.userId));
  d.spaceMemberships = d.spaceMemberships.filter(
    (sm) => !(spaceIds.has(sm.spaceId) && sm.memberType === "User" && sm.memberToken === user?.token),
  );
  if (user) forgetMember(store, m.workspaceId, user);
  store.markDirty();
}
