/**
 * The memberships of a Mode space (Collection), through the deprecated
 * `/{account}/spaces/{space}/memberships` endpoints: this run's listing, adding a member (adopting
 * one who is already there: Mode refuses the same member twice with a 400) and removing a
 * membership (gone is success). Object ids within the collection are space-membership tokens.
 */
import type { SpaceMembership, SpaceMembershipInput } from "../client";
import { providerContext } from "../context";
import { createOrAdopt, deleteIfPresent, type Adoption, type Listing } from "./listing";

/** Where a space is: its workspace (account) and its token. */
export interface SpaceRef {
  readonly account: string;
  readonly space: string;
}

/** This run's listing of the space's memberships. */
export function spaceMemberships(at: SpaceRef): Listing<SpaceMembership> {
  const context = providerContext();
  return context.listing(`space-memberships/${at.account}/${at.space}`, () =>
    context.modeApi().listSpaceMemberships(at.account, at.space),
  );
}

/** True when `live` is the declared member (same type and token). */
export function isMember(live: SpaceMembership, member: SpaceMembershipInput): boolean {
  return live.member_type === member.memberType && live.member_token === member.memberToken;
}

/**
 * Adds `member` to the space; a member already there (added outside Pulumi, or by an attempt whose
 * response was lost) is adopted.
 */
export function addSpaceMember(
  at: SpaceRef,
  member: SpaceMembershipInput,
): Promise<Adoption<SpaceMembership>> {
  const listing = spaceMemberships(at);
  return createOrAdopt(
    listing,
    (membership) => membership.token,
    () => providerContext().modeApi().createSpaceMembership(at.account, at.space, member),
    () => listing.find((m) => isMember(m, member)),
  );
}

/** Records that the membership `token` belongs to a resource created in this run (it was kept). */
export function markSpaceMembershipPlaced(at: SpaceRef, token: string): void {
  spaceMemberships(at).markPlaced(token);
}

/** Removes the membership `token`; gone, or placed by a create of this run, is success. */
export function removeSpaceMembership(at: SpaceRef, token: string): Promise<void> {
  return deleteIfPresent(spaceMemberships(at), token, () =>
    providerContext().modeApi().deleteSpaceMembership(at.account, at.space, token),
  );
}
