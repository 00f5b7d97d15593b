/**
 * The user groups of a Mode workspace (`/{workspace}/groups`): this run's listing of the active
 * groups, finding one by token or by name (names are unique among active groups regardless of case),
 * creating one (adopting the active group of that name), renaming and deleting one, with Mode's rules
 * checked: a group the identity provider manages (SCIM, `managed`) is never renamed or deleted here,
 * and a delete is read back, because Mode answers 200 yet keeps a group whose name an earlier deleted
 * group had. Object ids within the collection are group tokens.
 */
import { ApiError, isManagedGroup, isNotFound, type UserGroup } from "../client";
import { providerContext } from "../context";
import { sameGroupName } from "../rules";
import { createOrAdopt, type Adoption, type Listing } from "./listing";

/** This run's listing of the workspace's active groups (soft-deleted ones are left out). */
export function groups(workspace: string): Listing<UserGroup> {
  const context = providerContext();
  return context.listing(`groups/${workspace}`, () => activeOnly(context.modeApi().listGroups(workspace)));
}

/** True when the group is deleted: Mode keeps it readable with `state: "soft_deleted"`. */
export function isDeletedGroup(group: UserGroup): boolean {
  return group.state === "soft_deleted";
}

/** True when the identity provider manages the group (SCIM): its name, life and members are its own. */
export function isManaged(group: UserGroup): boolean {
  return isManagedGroup(group);
}

/** The active group with `token`, from this run's listing; undefined when gone. */
export function findGroup(workspace: string, token: string): Promise<UserGroup | undefined> {
  return groups(workspace).find((group) => group.token === token);
}

/** The active group with `token`, listing again once when this run's listing lacks it (see `findCurrent`). */
export function findCurrentGroup(workspace: string, token: string): Promise<UserGroup | undefined> {
  return groups(workspace).findCurrent((group) => group.token === token);
}

/** The active group named `name` (compared regardless of case), from this run's listing. */
export function findGroupByName(workspace: string, name: string): Promise<UserGroup | undefined> {
  return groups(workspace).find((group) => sameGroupName(group.name, name));
}

/**
 * The group `token` read now (`GET`, not the listing: for a state right after a write); undefined
 * when it is gone (404, or `soft_deleted`).
 */
export async function readGroup(workspace: string, token: string): Promise<UserGroup | undefined> {
  try {
    const group = await providerContext().modeApi().getGroup(workspace, token);
    return isDeletedGroup(group) ? undefined : group;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Creates the group `name`. Mode refuses a name an active group has (any case) with a 400: the active
 * group of that name (made outside Pulumi, or by an attempt whose response was lost) is adopted
 * instead, so a retried create never yields two groups. Records the group as placed by this run.
 */
export function createGroup(workspace: string, name: string): Promise<Adoption<UserGroup>> {
  const listing = groups(workspace);
  return createOrAdopt(
    listing,
    (group) => group.token,
    () => providerContext().modeApi().createGroup(workspace, { name }),
    () => listing.find((group) => sameGroupName(group.name, name)),
    { adoptListedFirst: true },
  );
}

/** Records that the group `token` belongs to a resource created in this run. */
export function markGroupPlaced(workspace: string, token: string): void {
  groups(workspace).markPlaced(token);
}

/**
 * Renames the group `token` to `name` (`PATCH`). A managed group is refused before anything is sent;
 * a name another active group has fails naming that group. Throws when the group is gone (404).
 */
export async function renameGroup(workspace: string, token: string, name: string): Promise<UserGroup> {
  const listing = groups(workspace);
  const live = (await findGroup(workspace, token)) ?? (await readGroup(workspace, token));
  if (live && isManaged(live)) throw managedGroupError(workspace, live.name, "rename");
  try {
    return await listing.write(() => providerContext().modeApi().updateGroup(workspace, token, { name }));
  } catch (err) {
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    const current = await readGroup(workspace, token);
    if (current && isManaged(current)) throw managedGroupError(workspace, current.name, "rename", err);
    const holder = await findGroupByName(workspace, name);
    if (holder && holder.token !== token) {
      throw new Error(
        `Cannot rename group "${live?.name ?? token}" in ${workspace} to "${name}": another active group ` +
          `(${holder.token}) already has that name, and Mode keeps group names unique regardless of case. ` +
          "Choose another name, or rename or delete that group first.",
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Deletes the group `token`. Already gone (404 or `soft_deleted`) is success, and so is a group a
 * create of this run placed (it belongs to that resource now). A managed group is never deleted: the
 * error says why and what to do. After Mode's 200 the group is read back: still `active` is Mode's
 * refusal to delete a group whose name an earlier deleted group had, and fails saying to rename it
 * first. `name` names the group in messages when it cannot be read.
 */
export async function deleteGroup(workspace: string, token: string, name?: string): Promise<void> {
  const listing = groups(workspace);
  if (listing.wasPlaced(token)) return;
  const live = await readGroup(workspace, token);
  if (!live) return;
  const called = `"${live.name || name || token}"`;
  if (isManaged(live)) throw managedGroupError(workspace, live.name, "delete");
  try {
    await listing.write(() => providerContext().modeApi().deleteGroup(workspace, token));
  } catch (err) {
    if (isNotFound(err)) return;
    if (err instanceof ApiError && err.kind === "validation") {
      const current = await readGroup(workspace, token);
      if (!current) return;
      if (isManaged(current)) throw managedGroupError(workspace, current.name, "delete", err);
    }
    throw err;
  }
  const after = await readGroup(workspace, token);
  if (after) {
    throw new Error(
      `Mode answered the delete of group ${called} in ${workspace} with success, but the group is still ` +
        "active: Mode keeps a group whose name an earlier deleted group had (a known Mode quirk). Rename " +
        "the group first (change its declared name and run `pulumi up`), then destroy it again; or, to " +
        "leave it in Mode, set the retainOnDelete resource option (or run `pulumi state delete`).",
    );
  }
}

/** The error for a change to a group the identity provider manages; `cause` is Mode's refusal, if any. */
export function managedGroupError(
  workspace: string,
  name: string,
  change: "rename" | "delete" | "add members to" | "remove members from" | "manage the members of",
  cause?: unknown,
): Error {
  const what =
    change === "rename"
      ? `Rename it in your identity provider and declare the new name. `
      : change === "delete"
        ? "Delete it in your identity provider; to stop managing it here without deleting it, set the " +
          "retainOnDelete resource option (or run `pulumi state delete`). "
        : "Change its members in your identity provider, or manage the membership of a group that is not " +
          "managed by SCIM. ";
  return new Error(
    `Not going to ${change} group "${name}" in ${workspace}: it is managed by your identity provider ` +
      `(SCIM), which owns its name, its members and its life. ${what.trimEnd()}`,
    cause === undefined ? undefined : { cause },
  );
}

async function* activeOnly(all: AsyncIterable<UserGroup>): AsyncIterableIterator<UserGroup> {
  for await (const group of all) if (!isDeletedGroup(group)) yield group;
}
