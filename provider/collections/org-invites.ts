/**
 * The invites of an organization (organization-invites API): this run's listing, an invite's
 * status, sending one (adopting a pending invite of the same email and role), accepting one
 * (adopting an acceptance that already happened) and deleting one (gone is success). Object ids
 * within the collection are invite ids.
 */
import { isOrgInviteAccepted, type OrgInvite, type OrgInviteInput } from "../client";
import { providerContext } from "../context";
import { sameEmail } from "../rules";
import { createOrAdopt, deleteIfPresent, type Adoption, type Listing } from "./listing";

/** Where an organization invite stands. */
export type OrgInviteStatus = "pending" | "accepted" | "cancelled";

/** This run's listing of the organization's invites. */
export function orgInvites(organizationId: string): Listing<OrgInvite> {
  const context = providerContext();
  return context.listing(`org-invites/${organizationId}`, () =>
    context.orgApi().listInvites(organizationId, { perPage: 100 }),
  );
}

/** The invite with `inviteId`, from this run's listing of the organization; undefined when gone. */
export function findInvite(organizationId: string, inviteId: string): Promise<OrgInvite | undefined> {
  return orgInvites(organizationId).find((invite) => invite.id === inviteId);
}

/** An invite's status: accepted, cancelled in the product's UI, or pending. */
export function statusOf(invite: OrgInvite): OrgInviteStatus {
  if (isOrgInviteAccepted(invite)) return "accepted";
  if (invite.relationships?.cancelled_by_user?.data) return "cancelled";
  return "pending";
}

/**
 * Sends an invite. A pending invite for the same email already there (sent outside Pulumi, or by an
 * attempt whose response was lost) is adopted when it grants the same role; another role fails,
 * saying what to do.
 */
export function sendInvite(organizationId: string, invite: OrgInviteInput): Promise<Adoption<OrgInvite>> {
  const listing = orgInvites(organizationId);
  return createOrAdopt(
    listing,
    (created) => created.id,
    () => providerContext().orgApi().createInvite(organizationId, invite),
    async () => {
      const existing = await listing.find(
        (live) =>
          statusOf(live) === "pending" && sameEmail(live.attributes.recipient_email, invite.recipientEmail),
      );
      const role = existing?.attributes.invite_user_as ?? null;
      if (existing && role !== (invite.inviteUserAs ?? null)) {
        throw new Error(
          `A pending invite ${existing.id} for ${invite.recipientEmail} already exists with inviteUserAs ` +
            `${JSON.stringify(role)}; delete it or declare the same inviteUserAs.`,
        );
      }
      return existing;
    },
  );
}

/**
 * Accepts an invite with its code. Accepting twice is refused (422): when an earlier attempt's
 * response was lost, the invite is already accepted and that acceptance is adopted.
 */
export function acceptInvite(
  organizationId: string,
  inviteId: string,
  code: string,
): Promise<Adoption<OrgInvite>> {
  return createOrAdopt(
    orgInvites(organizationId),
    (invite) => `${invite.id}/accepted`,
    () => providerContext().orgApi().acceptInvite(organizationId, inviteId, code),
    async () => {
      const existing = await findInvite(organizationId, inviteId);
      return existing && isOrgInviteAccepted(existing) ? existing : undefined;
    },
  );
}

/** Deletes the invite; gone, or placed by a create of this run, is success. */
export function deleteInvite(organizationId: string, inviteId: string): Promise<void> {
  return deleteIfPresent(orgInvites(organizationId), inviteId, () =>
    providerContext().orgApi().deleteInvite(organizationId, inviteId),
  );
}
