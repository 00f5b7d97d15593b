/**
 * The members of a Mode user group (`/{workspace}/groups/{group}/memberships`): this run's listing,
 * finding a member by their user token, adding one (adopting a membership that is already there:
 * Mode refuses the same member twice with a 400) and removing one (gone is success). Members of a
 * group the identity provider manages (SCIM) change only there: a change is refused before anything
 * is sent when this run's listing of groups knows the group is managed, and Mode's own refusal (a
 * 400) becomes the same clear error. Object ids within the collection are group-membership tokens.
 */
import { ApiError, type UserGroupMembership } from "../client";
import { providerContext } from "../context";
import { findGroup, isManaged, managedGroupError, readGroup } from "./groups";
import { createOrAdopt, deleteIfPresent, type Adoption, type Listing } from "./listing";

/** Where a group is: its workspace and its token. */
export interface GroupRef {
  readonly workspace: string;
  readonly group: string;
}

/** This run's listing of the group's memberships (empty when the group is gone). */
export function groupMemberships(at: GroupRef): Listing<UserGroupMembership> {
  const context = providerContext();
  return context.listing(`group-memberships/${at.workspace}/${at.group}`, () =>
    context.modeApi().listGroupMemberships(at.workspace, at.group),
  );
}

/** The membership of the user `memberToken` in the group, from this run's listing; undefined when none. */
export function findGroupMember(at: GroupRef, memberToken: string): Promise<UserGroupMembership | undefined> {
  return groupMemberships(at).find((membership) => membership.member_token === memberToken);
}

/**
 * Adds the user `memberToken` (a workspace member's token) to the group; a membership already there
 * (added outside Pulumi, or by an attempt whose response was lost) is adopted. A managed group is
 * refused with an error saying to change its members in the identity provider. Records the
 * membership as placed by this run.
 */
export async function addGroupMember(
  at: GroupRef,
  memberToken: string,
): Promise<Adoption<UserGroupMembership>> {
  await refuseManaged(at, "add members to");
  const listing = groupMemberships(at);
  try {
    return await createOrAdopt(
      listing,
      (membership) => membership.token,
      () => providerContext().modeApi().createGroupMembership(at.workspace, at.group, { memberToken }),
      () => listing.find((membership) => membership.member_token === memberToken),
    );
  } catch (err) {
    throw await explainRefusal(at, err, "add members to");
  }
}

/** Records that the membership `token` belongs to a resource created in this run (it was kept). */
export function markGroupMembershipPlaced(at: GroupRef, token: string): void {
  groupMemberships(at).markPlaced(token);
}

/**
 * Removes the membership `token` (a group membership's own token). Already gone (or the group gone)
 * is success, and so is a membership a create of this run placed. A managed group is refused with an
 * error saying to change its members in the identity provider.
 */
export async function removeGroupMember(at: GroupRef, token: string): Promise<void> {
  const listing = groupMemberships(at);
  if (listing.wasPlaced(token)) return;
  await refuseManaged(at, "remove members from");
  try {
    await deleteIfPresent(listing, token, () =>
      providerContext().modeApi().deleteGroupMembership(at.workspace, at.group, token),
    );
  } catch (err) {
    throw await explainRefusal(at, err, "remove members from");
  }
}

type MemberChange = "add members to" | "remove members from";

/** Fails before anything is sent when this run's listing of groups knows the group is managed. */
async function refuseManaged(at: GroupRef, change: MemberChange): Promise<void> {
  const group = await findGroup(at.workspace, at.group);
  if (group && isManaged(group)) throw managedGroupError(at.workspace, group.name, change);
}

/** Mode's 400 for a managed group, as the clear error; any other error as it came. */
async function explainRefusal(at: GroupRef, err: unknown, change: MemberChange): Promise<unknown> {
  if (!(err instanceof ApiError) || err.kind !== "validation") return err;
  const group = await readGroup(at.workspace, at.group).catch(() => undefined);
  return group && isManaged(group) ? managedGroupError(at.workspace, group.name, change, err) : err;
}
