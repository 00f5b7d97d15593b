/**
 * Helpers for the emulator integration tests: real HTTP requests with fetch, raw-path requests with
 * node:http (no URL normalisation), and control-interface calls.
 */
import { request as httpRequest } from "node:http";
import type { RunningEmulator } from "../emulator";

/** A response with its body read; `json` is the parsed body, typed by the caller. */
export interface Res<T = unknown> {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Raw body text. */
  text: string;
  /** Parsed JSON body (undefined when empty or not JSON). */
  json: T;
}

/** A HAL link. */
export interface Link {
  /** Target. */
  href: string;
  /** Always false. */
  templated: boolean;
}

/** Mode error body. */
export interface ModeError {
  /** snake_case kind. */
  id: string;
  /** Human sentence. */
  message: string;
}

/** Mode invite object. */
export interface InviteBody {
  /** Fields as documented. */
  email: string;
  message: string;
  inviter_id: number;
  invitee_id: number;
  organization_id: number;
  limited: boolean;
  created_at: string;
  sent_at: string;
  resent_at: string | null;
  clicked_at: string | null;
  accepted_at: string | null;
  expires_at: string;
  _links: { self: Link; invitee: Link; inviter: Link; web_self_resend: Link };
  _embedded: Record<string, unknown>;
}

/** Mode workspace membership object. */
export interface MembershipBody {
  /** Fields as documented. */
  admin: boolean;
  invited: boolean;
  state: string;
  member_username: string;
  member_token: string;
  activated_at: string | null;
  managed_by_scim: boolean;
  limited: boolean;
  _links: { self: Link; user: Link; organization: Link; web_self: Link; groups: Link };
}

/** Mode space membership object. */
export interface SpaceMembershipBody {
  /** Fields as documented. */
  token: string;
  member_token: string;
  member_type: string;
  member_id: number;
  email: string | null;
  _links: { self: Link; member: Link; creator: Link };
}

/** The `pagination` object of a Mode list (published definition `Pagination`). */
export interface Pagination {
  /** Href of the first page. */
  first_page: string;
  /** Href of the last page. */
  last_page: string;
  /** Number of pages. */
  total_pages: number;
  /** Number of items over all pages. */
  total_count: number;
}

/** A page of a Mode list, as published (`Memberships`, `SpaceMemberships`, …): items under `memberships`. */
export interface Collection<T> {
  /** `self`, and `next_page` / `prev_page` around this page. */
  _links: { self: Link; next_page?: Link; prev_page?: Link };
  /** Where this page sits in the whole list. */
  pagination: Pagination;
  /** Items. */
  _embedded: { memberships: T[] };
}

/** A JSON:API organization invite resource. */
export interface OrgInvite {
  /** Fields as documented. */
  id: string;
  type: string;
  attributes: {
    accepted_at: string | null;
    code: string;
    created_at: string;
    invite_user_as: string | null;
    recipient_email: string;
    updated_at: string;
    updated_in_db_at: string;
  };
  relationships: Record<
    "accepted_by_user" | "cancelled_by_user" | "invited_by_user",
    { data: { id: string; type: string } | null }
  >;
}

/** The org invite list document. */
export interface OrgList {
  /** Fields as documented. */
  data: OrgInvite[];
  meta: {
    pagination: { page: number; per_page: number; total_count: number; total_pages: number };
    sort: null;
    filter: Record<string, string>;
  };
  links: { self: string; next?: string };
}

/** A JSON:API error document. */
export interface OrgErrors {
  /** Errors. */
  errors: {
    status: string;
    title: string;
    detail: string;
    source?: { pointer?: string; parameter?: string };
  }[];
}

/** Request options. */
export interface ReqOptions {
  /** Authorization header value. */
  auth?: string;
  /** Body: objects are JSON-encoded, strings/Buffers sent as-is. */
  body?: unknown;
  /** Content-Type (default application/json when a body is given). */
  contentType?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** HTTP Basic header value. */
export function basic(token: string, secret: string): string {
  return `Basic ${Buffer.from(`${token}:${secret}`).toString("base64")}`;
}

/** Bearer header value. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** Sends a request and reads the body. */
export async function req<T = unknown>(method: string, url: string, o: ReqOptions = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.auth) headers.Authorization = o.auth;
  let body: string | Buffer | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === "string" || Buffer.isBuffer(o.body) ? o.body : JSON.stringify(o.body);
    headers["Content-Type"] = o.contentType ?? "application/json";
  }
  const r = await fetch(url, { method, headers, body });
  const text = await r.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json: json as T };
}

/** A control-interface call. */
export async function control<T = unknown>(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Res<T>> {
  return req<T>(method, `${emu.controlUrl}${path}`, body === undefined ? {} : { body });
}

/** Sends a request with an exact raw path (no client-side normalisation). */
export function rawRequest(
  origin: string,
  method: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: u.hostname, port: u.port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
        }),
      );
    });
    r.on("error", reject);
    r.end();
  });
}

/** One API route the emulator serves, as `GET /_control/routes` lists it. */
export interface ServedRoute {
  /** Stable route name, e.g. `mode.memberships.list`. */
  name: string;
  /** HTTP method. */
  method: string;
  /** Path pattern relative to the API's base URL; `:x` is a parameter. */
  pattern: string[];
}

/** Every API route the running emulator dispatches, per API (read from the server itself). */
export async function servedRoutes(
  emu: RunningEmulator,
): Promise<{ mode: ServedRoute[]; org: ServedRoute[] }> {
  const r = await control<{ mode: ServedRoute[]; org: ServedRoute[] }>(emu, "GET", "/routes");
  if (r.status !== 200) throw new Error(`GET /routes answered ${r.status}: ${r.text}`);
  return r.json;
}

/** Follows `next` links from a first URL, collecting the items each page yields. */
export async function collectPages<P, T>(
  first: string,
  auth: string,
  items: (page: P) => T[],
  next: (page: P) => string | undefined,
): Promise<{ all: T[]; pages: number }> {
  const all: T[] = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url) {
    const r: Res<P> = await req<P>("GET", url, { auth });
    if (r.status !== 200) throw new Error(`page ${url} answered ${r.status}: ${r.text}`);
    all.push(...items(r.json));
    url = next(r.json);
    if (++pages > 1000) throw new Error("pagination does not end");
  }
  return { all, pages };
}

/** The provider's Pulumi config for an emulator: endpoints and credentials, keyed as the engine sends them. */
export function providerConfig(emulator: RunningEmulator): Record<string, string> {
  return {
    "mode:apiUrl": emulator.modeApiUrl,
    "mode:apiToken": emulator.seed.mode.token,
    "mode:apiSecret": emulator.seed.mode.secret,
    "mode:orgApiUrl": emulator.orgApiUrl,
    "mode:orgApiToken": emulator.seed.org.token,
  };
}

/** Names a workspace member for the control interface: by member token, username or email. */
export type MemberRef = { memberToken: string } | { username: string } | { email: string };

/** A membership as the control interface reports it. */
export interface ControlMembership {
  /** Stored fields. */
  admin: boolean;
  managedByScim: boolean;
  invited: boolean;
  /** Computed state (`active`, `invited`, `expired`, `deactivated`). */
  state: string;
  username: string;
  memberToken: string;
}

/** A user as `POST /mode/users` reports it. */
export interface ControlUser {
  /** Fields of the user. */
  id: number;
  username: string;
  token: string;
  email: string;
  /** The user's membership of the workspace (active). */
  membership: ControlMembership;
  /** True when the user already was an active member (nothing changed). */
  existed: boolean;
}

async function controlOk<T>(emu: RunningEmulator, path: string, body: unknown): Promise<T> {
  const r = await control<T & { error?: string }>(emu, "POST", path, body);
  if (r.status !== 200) throw new Error(`POST ${path} answered ${r.status}: ${r.text}`);
  return r.json;
}

/** Ensures an active member of `workspace` (created when no user has this email/username). */
export function ensureMember(
  emu: RunningEmulator,
  workspace: string,
  who: { username?: string; email?: string },
): Promise<ControlUser> {
  return controlOk<ControlUser>(emu, "/mode/users", { workspace, ...who });
}

/** Sets a member's `admin` flag (only the product's UI can, hence the control interface). */
export async function setMemberAdmin(
  emu: RunningEmulator,
  workspace: string,
  who: MemberRef,
  admin: boolean,
): Promise<ControlMembership> {
  return (
    await controlOk<{ membership: ControlMembership }>(emu, "/mode/admin", { workspace, ...who, admin })
  ).membership;
}

/** Sets a member's `managed_by_scim` flag (only an identity provider can, hence the control interface). */
export async function setMemberScim(
  emu: RunningEmulator,
  workspace: string,
  who: MemberRef,
  managedByScim: boolean,
): Promise<ControlMembership> {
  return (
    await controlOk<{ membership: ControlMembership }>(emu, "/mode/scim", {
      workspace,
      ...who,
      managedByScim,
    })
  ).membership;
}

/** Mode group object (`UserGroup`). */
export interface GroupBody {
  /** Fields as API-CONTRACT.md lists them. */
  token: string;
  group_type: string;
  name: string;
  description: string;
  state: string;
  member_count: number;
  spaces_count: number;
  data_sources_count: number;
  managed: boolean;
  _links: {
    self: Link;
    web: Link;
    group_memberships: Link;
    membership_by_id: Link;
    memberships_preview: Link;
  };
}

/** Mode group membership object (`UserGroupMembership`). */
export interface GroupMembershipBody {
  /** Fields as API-CONTRACT.md lists them. */
  token: string;
  member_token: string;
  _links: { self: Link; member: Link; user_group: Link };
}

/** Mode collection object (`Space`). */
export interface SpaceBody {
  /** Fields as API-CONTRACT.md lists them. */
  token: string;
  id: number;
  space_type: string;
  name: string;
  description: string;
  state: string;
  restricted: boolean;
  default_access_level: string;
  free_default: boolean;
  "viewable?": boolean;
  _links: { self: Link; detail: Link; reports: Link; search_space_permissions: Link };
}

/** A permission on a collection or a data source. */
export interface PermissionBody {
  /** Fields as API-CONTRACT.md lists them. */
  token: string;
  action: string;
  accessor_type: string;
  accessor_token: string;
  _links: { self: Link };
}

/** Mode data source object (`DataSource`, the fields tests read). */
export interface DataSourceBody {
  /** Fields as API-CONTRACT.md lists them. */
  token: string;
  id: number;
  name: string;
  adapter: string;
  default_access_level: string;
  _links: { self: Link; permissions: Link };
}

/** A Mode list page whose items are under `_embedded[key]`. */
export interface ModeListPage<T> {
  /** Links; `next_page` (or `next`) while more pages remain. */
  _links: { self: Link; next_page?: Link; next?: Link; prev_page?: Link };
  /** Page counts (Mode's published `Pagination`), when sent. */
  pagination?: { first_page: string; last_page: string; total_pages: number; total_count: number };
  /** Items. */
  _embedded: Record<string, T[]>;
}

/**
 * Every item of a Mode list under `_embedded[key]`, following `next_page` (or `next`) links; fails
 * when the items do not add up to the `pagination.total_count` the pages report.
 */
export async function listAll<T>(
  url: string,
  auth: string,
  key: string,
): Promise<{ all: T[]; pages: number }> {
  let total: number | undefined;
  const listed = await collectPages<ModeListPage<T>, T>(
    url,
    auth,
    (p) => {
      const items = p._embedded?.[key];
      if (!Array.isArray(items)) throw new Error(`${url}: no _embedded.${key} array`);
      total = p.pagination?.total_count ?? total;
      return items;
    },
    (p) => (p._links.next_page ?? p._links.next)?.href,
  );
  if (total !== undefined && Number(total) !== listed.all.length) {
    throw new Error(`${url}: ${listed.all.length} items over ${listed.pages} pages, total_count ${total}`);
  }
  return listed;
}

/** A group as the control interface reports it (stored fields plus `memberCount`). */
export interface ControlGroup {
  /** Stored fields. */
  token: string;
  name: string;
  state: string;
  managed: boolean;
  memberCount: number;
}

/** Marks a group as managed by the identity provider (SCIM) or not. */
export async function setGroupManaged(
  emu: RunningEmulator,
  workspace: string,
  group: string,
  managed: boolean,
): Promise<ControlGroup> {
  return (
    await controlOk<{ group: ControlGroup }>(emu, "/mode/groups/managed", { workspace, group, managed })
  ).group;
}

/**
 * Adds a workspace member to a group as the identity provider would (also to a managed group);
 * `existed` when the person already was a member. Returns the group membership's token.
 */
export async function addGroupMemberOutside(
  emu: RunningEmulator,
  workspace: string,
  group: string,
  who: MemberRef,
): Promise<{ token: string; existed: boolean }> {
  const r = await controlOk<{ membership: { token: string }; existed: boolean }>(
    emu,
    "/mode/groups/add-member",
    {
      workspace,
      group,
      ...who,
    },
  );
  return { token: r.membership.token, existed: r.existed };
}

/** Removes a member from a group as the identity provider would; true when there was one. */
export async function removeGroupMemberOutside(
  emu: RunningEmulator,
  workspace: string,
  group: string,
  who: MemberRef,
): Promise<boolean> {
  return (
    await controlOk<{ removed: boolean }>(emu, "/mode/groups/remove-member", { workspace, group, ...who })
  ).removed;
}

/** Renames a group outside the API's rules (also a managed one). */
export async function renameGroupOutside(
  emu: RunningEmulator,
  workspace: string,
  group: string,
  name: string,
): Promise<ControlGroup> {
  return (await controlOk<{ group: ControlGroup }>(emu, "/mode/groups/update", { workspace, group, name }))
    .group;
}

/** Deletes a group as the identity provider would (soft delete with its grants, no quirk). */
export async function deleteGroupOutside(
  emu: RunningEmulator,
  workspace: string,
  group: string,
): Promise<ControlGroup> {
  return (await controlOk<{ group: ControlGroup }>(emu, "/mode/groups/delete", { workspace, group })).group;
}

/** Removes a person from the workspace as an admin would in the UI, with every cascade. */
export async function removeFromWorkspace(
  emu: RunningEmulator,
  workspace: string,
  who: MemberRef,
): Promise<void> {
  await controlOk(emu, "/mode/remove-member", { workspace, ...who });
}

/** The member's personal collection (created when missing); returns its token. */
export async function ensurePersonalCollection(
  emu: RunningEmulator,
  workspace: string,
  who: MemberRef,
): Promise<string> {
  return (
    await controlOk<{ space: { token: string } }>(emu, "/mode/personal-collection", { workspace, ...who })
  ).space.token;
}

/** Adds a database connection (only the UI can); returns its token. */
export async function addDataSource(
  emu: RunningEmulator,
  workspace: string,
  name: string,
  adapter?: string,
): Promise<string> {
  return (
    await controlOk<{ dataSource: { token: string } }>(emu, "/mode/data-sources", {
      workspace,
      name,
      adapter,
    })
  ).dataSource.token;
}

/**
 * The upstream quirk: with `enabled`, a GET of the given data-source permission (or of every one, when
 * `permission` is omitted) answers 500 while the list works; `enabled: false` switches it off.
 */
export async function setDataSourcePermissionGet500(
  emu: RunningEmulator,
  enabled: boolean,
  permission?: string,
): Promise<void> {
  await controlOk(emu, "/mode/quirks/data-source-permission-500", { enabled, permission });
}
