/**
 * Who a permission or a group membership names, in words a reviewer knows: usernames for members
 * (from this run's listing of the workspace's memberships) and names for groups (from this run's
 * listing of its groups). No request per object: each listing is read once per run and the lookup
 * maps are built once per listing.
 */
import type { UserGroup, WorkspaceMembership } from "../client";
import type { AccessorType } from "../rules";
import { findGroup, groups } from "./groups";
import { findMember, workspaceMemberships } from "./workspace-memberships";

/** Who a permission is granted to: a member (`Account`, by user token) or a group (`UserGroup`). */
export interface Accessor {
  readonly type: AccessorType;
  readonly token: string;
}

/** The same accessor (type and token). */
export function sameAccessor(a: Accessor, b: Accessor): boolean {
  return a.type === b.type && a.token === b.token;
}

/**
 * The member `username` (any case) as an accessor, from this run's listing of the workspace;
 * undefined when they are not a member (not even invited).
 */
export async function memberAccessor(workspace: string, username: string): Promise<Accessor | undefined> {
  const member = await findMember(workspace, username);
  return member ? { type: "Account", token: member.member_token } : undefined;
}

/**
 * The group `token` as an accessor when it is an active group of this run's listing; undefined when
 * it is not (deleted, or never existed).
 */
export async function groupAccessor(workspace: string, token: string): Promise<Accessor | undefined> {
  const group = await findGroup(workspace, token);
  return group ? { type: "UserGroup", token: group.token } : undefined;
}

/**
 * Who a resource grants to, as its inputs name them: a member by `username` (any case) or a group
 * by its token in `group` (exactly one of the two; the resource's check refuses anything else).
 */
export interface AccessorRef {
  readonly username?: string;
  readonly group?: string;
}

/**
 * The accessor `ref` names, from this run's listings; on a miss the listing is read afresh once (a
 * member or group that appeared outside this process since it was listed). Undefined when the
 * member is not in the workspace (not even invited) or the group is not an active group.
 */
export async function resolveAccessor(workspace: string, ref: AccessorRef): Promise<Accessor | undefined> {
  const find = (): Promise<Accessor | undefined> =>
    ref.username !== undefined
      ? memberAccessor(workspace, ref.username)
      : groupAccessor(workspace, ref.group ?? "");
  const found = await find();
  if (found) return found;
  (ref.username !== undefined ? workspaceMemberships(workspace) : groups(workspace)).invalidate();
  return find();
}

/** Usernames by user token (`member_token`), from this run's listing of the workspace's memberships. */
export async function usernamesByToken(workspace: string): Promise<ReadonlyMap<string, string>> {
  const all = await workspaceMemberships(workspace).all();
  return indexed(byToken, all, (m: WorkspaceMembership) => [m.member_token, m.member_username]);
}

/**
 * User tokens by lower-cased username (Mode's usernames are unique regardless of case), from this
 * run's listing of the workspace's memberships: many usernames resolved without a scan each.
 */
export async function memberTokensByUsername(workspace: string): Promise<ReadonlyMap<string, string>> {
  const all = await workspaceMemberships(workspace).all();
  return indexed(byUsername, all, (m: WorkspaceMembership) => [
    m.member_username.toLowerCase(),
    m.member_token,
  ]);
}

/** Group names by token, from this run's listing of the workspace's active groups. */
export async function groupNamesByToken(workspace: string): Promise<ReadonlyMap<string, string>> {
  const all = await groups(workspace).all();
  return indexed(byToken, all, (g: UserGroup) => [g.token, g.name]);
}

/**
 * The accessor's name: a member's username or a group's name, from this run's listings; undefined
 * when the listing does not have them (they left the workspace, the group was deleted).
 */
export async function accessorName(workspace: string, accessor: Accessor): Promise<string | undefined> {
  const names =
    accessor.type === "Account" ? await usernamesByToken(workspace) : await groupNamesByToken(workspace);
  return names.get(accessor.token);
}

/**
 * How a reason line or an error names an accessor: `ada`, `group "Analysts"`; when the name is not
 * known, `member <token>` or `group <token>`. Reads this run's listings (no request per accessor).
 */
export async function describeAccessor(workspace: string, accessor: Accessor): Promise<string> {
  const name = await accessorName(workspace, accessor);
  if (accessor.type === "Account") return name ?? `member ${accessor.token}`;
  return name === undefined ? `group ${accessor.token}` : `group "${name}"`;
}

/** Maps of a listing, one cache per kind of key (a listing's array indexes by token and by username). */
type MapCache = WeakMap<readonly object[], Map<string, string>>;
const byToken: MapCache = new WeakMap();
const byUsername: MapCache = new WeakMap();

/** A map built once per listing (the listing's array is the same object until a write invalidates it). */
function indexed<T extends object>(
  maps: MapCache,
  items: readonly T[],
  entry: (item: T) => [string, string],
): Map<string, string> {
  let map = maps.get(items);
  if (!map) {
    map = new Map(items.map(entry));
    maps.set(items, map);
  }
  return map;
}
