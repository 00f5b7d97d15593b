/**
 * The control interface (`{controlUrl}`): actions that only happen in a product's UI or an identity
 * provider (accepting a Mode invite, deactivating a member, adding a member, making one an admin or
 * SCIM-managed, cancelling an org invite, time passing), fault settings, the request log, the API
 * route tables the server serves, and a reset. JSON in and out, no auth, never subject to faults or
 * the rate limit.
 */
import { ApiError, ApiKind, BaseUrls, Handler, Reply, Route, controlJson, isObject, normEmail } from "./http";
import { Faults, RequestLog, parseFaultConfig } from "./faults";
import * as mode from "./mode-model";
import * as org from "./org-model";
import { Membership, ModeUser, Store, Workspace } from "./store";

/** What the control handlers act on. */
export interface ControlDeps {
  /** The state. */
  store: Store;
  /** Fault settings. */
  faults: Faults;
  /** Request log. */
  log: RequestLog;
  /** Base URLs the server listens on. */
  urls: BaseUrls;
  /** The API route tables the server dispatches. */
  routes: Readonly<Record<ApiKind, Route<Handler>[]>>;
  /** Called after the fault configuration changed (rebuilds the rate limiter). */
  onFaultsChanged(): void;
}

/** A control handler. */
export type ControlHandler = (deps: ControlDeps, body: Record<string, unknown>) => Reply;

/** A refusal of the control interface, answered as `{"error": message}` with `status`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a thrown control error into a JSON reply. */
export function controlErrorReply(err: unknown): Reply | null {
  if (err instanceof ControlError) return controlJson(err.status, { error: err.message });
  if (err instanceof ApiError) return controlJson(err.status, { error: err.message });
  return null;
}

/** A non-empty string field of a control body (optional when `required` is false). @throws 400 */
export function str(body: Record<string, unknown>, key: string, required = true): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v === "") throw new ControlError(400, `${key} must be a non-empty string`);
  return v;
}

/** The workspace a control body names by `workspace`. @throws 400, 404 */
export function workspace(store: Store, body: Record<string, unknown>): Workspace {
  const name = str(body, "workspace");
  const ws = store.data.workspaces.find((w) => w.username === name);
  if (!ws) throw new ControlError(404, `workspace ${name} not found`);
  return ws;
}

/** A boolean field of a control body. @throws 400 */
export function bool(body: Record<string, unknown>, key: string): boolean {
  const v = body[key];
  if (typeof v !== "boolean") throw new ControlError(400, `${key} must be true or false`);
  return v;
}

/**
 * The member a body names by exactly one of `memberToken`, `username` (case-insensitive, see
 * {@link mode.sameUsername}) or `email` (case-insensitive). @throws 400, 404
 */
export function member(
  store: Store,
  ws: Workspace,
  body: Record<string, unknown>,
): { user: ModeUser; m: Membership } {
  const keys = ["memberToken", "username", "email"].filter((k) => body[k] !== undefined);
  if (keys.length !== 1) throw new ControlError(400, "give exactly one of memberToken, username or email");
  const key = keys[0];
  const value = str(body, key) ?? "";
  const user =
    key === "memberToken"
      ? store.data.users.find((u) => u.token === value)
      : key === "username"
        ? mode.userByUsername(store, value)
        : store.data.users.find((u) => normEmail(u.email) === normEmail(value));
  const m = user && mode.membershipOf(store, ws, user.id);
  if (!user || !m) throw new ControlError(404, `no member with ${key} ${value} in ${ws.username}`);
  return { user, m };
}

function membershipJson(store: Store, _ws: Workspace, m: Membership | undefined): unknown {
  if (!m) return null;
  const u = mode.userById(store, m.userId);
  return { ...m, state: mode.effectiveState(store, m), username: u?.username, memberToken: u?.token };
}

const state: ControlHandler = ({ store }) => {
  const d = store.data;
  const memberships = d.memberships.map((m) => ({
    ...m,
    state: mode.effectiveState(store, m),
    memberToken: mode.userById(store, m.userId)?.token,
  }));
  return controlJson(200, { clock: store.nowIso(), ...d, memberships });
};

/** Makes a membership active as accepting its invite does (the invite, if any, is marked accepted). */
function activate(store: Store, ws: Workspace, m: Membership): void {
  const now = store.nowIso();
  const inv = mode.inviteOf(store, ws, m.userId);
  if (inv && !inv.acceptedAt) inv.acceptedAt = now;
  m.status = "active";
  m.invited = false;
  m.activatedAt = now;
  store.markDirty();
}

/** The seeded data and URLs, exactly as the CLI's first stdout line reports them. */
const seed: ControlHandler = ({ store, urls }) => {
  const { mode: m, org: o } = store.data.seed;
  return controlJson(200, {
    modeApiUrl: urls.mode,
    orgApiUrl: urls.org,
    controlUrl: `${urls.origin}/_control`,
    mode: { ...m },
    org: { ...o },
  });
};

const acceptInvite: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const email = normEmail(str(body, "email") ?? "");
  const user = store.data.users.find((u) => normEmail(u.email) === email);
  const m = user && mode.membershipOf(store, ws, user.id);
  const inv = user && mode.inviteOf(store, ws, user.id);
  if (!user || !m || !inv || mode.effectiveState(store, m) !== "invited") {
    throw new ControlError(404, `no pending invite for ${email} in ${ws.username}`);
  }
  activate(store, ws, m);
  return controlJson(200, { membership: membershipJson(store, ws, m), invite: inv });
};

const deactivate: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const { m } = member(store, ws, body);
  m.status = "deactivated";
  store.markDirty();
  return controlJson(200, { membership: membershipJson(store, ws, m) });
};

const setAdmin: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const admin = bool(body, "admin");
  const { m } = member(store, ws, body);
  m.admin = admin;
  store.markDirty();
  return controlJson(200, { membership: membershipJson(store, ws, m) });
};

const setScim: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const managedByScim = bool(body, "managedByScim");
  const { m } = member(store, ws, body);
  m.managedByScim = managedByScim;
  store.markDirty();
  return controlJson(200, { membership: membershipJson(store, ws, m) });
};

/**
 * Ensures an active member: the user named by `email` and/or `username` (created when neither names
 * an existing user; then `email` defaults to `{username}@acme.example`) ends up an active member of
 * the workspace. An existing membership in another state is activated as accepting its invite does.
 * `existed` is true when the user was already an active member (nothing changed).
 */
const addUser: ControlHandler = ({ store }, body) => {
  const ws = workspace(store, body);
  const username = str(body, "username", false);
  const givenEmail = str(body, "email", false);
  const byEmail =
    givenEmail === undefined
      ? undefined
      : store.data.users.find((u) => normEmail(u.email) === normEmail(givenEmail));
  const byName = username === undefined ? undefined : mode.userByUsername(store, username);
  if (byEmail && username !== undefined && byEmail !== byName) {
    throw new ControlError(400, `the user with email ${givenEmail} has username ${byEmail.username}`);
  }
  if (byName && givenEmail !== undefined && byEmail !== byName) {
    throw new ControlError(400, `username ${username} is taken by a user with another email`);
  }
  let user = byEmail ?? byName;
  if (!user) {
    const email = givenEmail ?? `${username ?? `user${store.data.nextId}`}@acme.example`;
    if (store.data.users.some((u) => normEmail(u.email) === normEmail(email))) {
      throw new ControlError(400, `a user with email ${email} exists`);
    }
    user = mode.createUser(store, email, username);
  }
  let m = mode.membershipOf(store, ws, user.id);
  const existed = m !== undefined && mode.effectiveState(store, m) === "active";
  if (!m) m = mode.addMembership(store, ws, user, false);
  else if (!existed) activate(store, ws, m);
  return controlJson(200, { ...user, membership: membershipJson(store, ws, m), existed });
};

const cancelOrgInvite: ControlHandler = ({ store }, body) => {
  const o = store.data.orgs.find((x) => x.id === str(body, "organizationId"));
  if (!o) throw new ControlError(404, "organization not found");
  const inv = store.data.orgInvites.find((i) => i.organizationId === o.id && i.id === str(body, "inviteId"));
  if (!inv) throw new ControlError(404, "invite not found");
  org.cancelInvite(store, o, inv);
  return controlJson(200, { data: org.inviteResource(inv) });
};

const clock: ControlHandler = ({ store }) =>
  controlJson(200, { now: store.nowIso(), offsetSeconds: store.data.clockOffsetMs / 1000 });

const advance: ControlHandler = (deps, body) => {
  const s = body.seconds;
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0)
    throw new ControlError(400, "seconds must be a number >= 0");
  deps.store.advance(s);
  return clock(deps, body);
};

const getFaults: ControlHandler = ({ faults }) => controlJson(200, faults.config);

const putFaults: ControlHandler = (deps, body) => {
  try {
    deps.faults.config = parseFaultConfig(body);
  } catch (e) {
    throw new ControlError(400, (e as Error).message);
  }
  deps.onFaultsChanged();
  return controlJson(200, deps.faults.config);
};

const requests: ControlHandler = ({ log }) => controlJson(200, log.snapshot());
const resetRequests: ControlHandler = ({ log }) => {
  log.reset();
  return controlJson(200, log.snapshot());
};

/** Every API route the server dispatches: `{mode: [{name, method, pattern}], org: [...]}`. */
const routes: ControlHandler = (deps) => {
  const table = (list: Route<Handler>[]) =>
    list.map((r) => ({ name: r.name, method: r.method, pattern: r.pattern }));
  return controlJson(200, { mode: table(deps.routes.mode), org: table(deps.routes.org) });
};

const reset: ControlHandler = ({ store }) => {
  store.reset();
  return controlJson(200, { reset: true });
};

/** The control route table (paths relative to `{controlUrl}`). */
export const controlRoutes: Route<ControlHandler>[] = [
  { name: "control.state", method: "GET", pattern: ["state"], handler: state },
  { name: "control.seed", method: "GET", pattern: ["seed"], handler: seed },
  {
    name: "control.mode.acceptInvite",
    method: "POST",
    pattern: ["mode", "accept-invite"],
    handler: acceptInvite,
  },
  { name: "control.mode.deactivate", method: "POST", pattern: ["mode", "deactivate"], handler: deactivate },
  { name: "control.mode.users", method: "POST", pattern: ["mode", "users"], handler: addUser },
  { name: "control.mode.admin", method: "POST", pattern: ["mode", "admin"], handler: setAdmin },
  { name: "control.mode.scim", method: "POST", pattern: ["mode", "scim"], handler: setScim },
  {
    name: "control.org.cancelInvite",
    method: "POST",
    pattern: ["org", "cancel-invite"],
    handler: cancelOrgInvite,
  },
  { name: "control.clock", method: "GET", pattern: ["clock"], handler: clock },
  { name: "control.clock.advance", method: "POST", pattern: ["clock", "advance"], handler: advance },
  { name: "control.faults.get", method: "GET", pattern: ["faults"], handler: getFaults },
  { name: "control.faults.put", method: "PUT", pattern: ["faults"], handler: putFaults },
  { name: "control.requests", method: "GET", pattern: ["requests"], handler: requests },
  { name: "control.requests.reset", method: "DELETE", pattern: ["requests"], handler: resetRequests },
  { name: "control.routes", method: "GET", pattern: ["routes"], handler: routes },
  { name: "control.reset", method: "POST", pattern: ["reset"], handler: reset },
];

/** Parses a control body: empty → `{}`; anything but a JSON object → 400. */
export function controlBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ControlError(400, "body is not valid JSON");
  }
  if (!isObject(v)) throw new ControlError(400, "body must be a JSON object");
  return v;
}
