/**
 * The memberships of a Mode workspace (`/{workspace}/memberships`): this run's listing, finding a
 * member by username, inviting (which adds a membership), and the one protected removal rule every
 * resource follows — a SCIM-managed membership is the identity provider's, and Mode refuses to
 * remove the credentials' own user. Object ids within the collection are lower-cased usernames
 * (Mode usernames are unique regardless of case).
 */
import { ApiError, type ModeInvite, type WorkspaceMembership } from "../client";
import { providerContext } from "../context";
import { sameUsername } from "../rules";
import { deleteIfPresent, type Listing } from "./listing";

/** Why an undeclared member stays in a workspace: an admin, SCIM-managed, or the credentials' own user. */
export const KEPT_BECAUSE = ["admin", "managedByScim", "self"] as const;

/** Why a member stays. */
export type KeptBecause = (typeof KEPT_BECAUSE)[number];

/** This run's listing of the workspace's memberships. */
export function workspaceMemberships(workspace: string): Listing<WorkspaceMembership> {
  const context = providerContext();
  return context.listing(`workspace-memberships/${workspace}`, () =>
    context.modeApi().listMemberships(workspace),
  );
}

/** A member's id within the workspace's memberships: the username, lower-cased. */
export function memberId(username: string): string {
  return username.toLowerCase();
}

/** The membership of `username`, from this run's listing of the workspace; undefined when gone. */
export function findMember(workspace: string, username: string): Promise<WorkspaceMembership | undefined> {
  return workspaceMemberships(workspace).find((m) => sameUsername(m.member_username, username));
}

/** The membership of `username`, listing again once when this run's listing lacks it (see `findCurrent`). */
export function findCurrentMember(
  workspace: string,
  username: string,
): Promise<WorkspaceMembership | undefined> {
  return workspaceMemberships(workspace).findCurrent((m) => sameUsername(m.member_username, username));
}

/** An invite Mode accepted, and the username of the invitee's membership. */
export interface SentInvite {
  readonly invite: ModeInvite;
  readonly username: string;
}

/**
 * Invites `email` (`POST /{workspace}/invites`, a write to the workspace's memberships: it adds the
 * invitee's membership) and says whose membership it is. Mode answers a re-invite of a pending email
 * with that same invite, so nothing is ever duplicated.
 *
 * The invitee is named by the invite's `_links.invitee`, which Mode's published description makes
 * optional. Without it, the invitee is the one membership that the invite added: one `invited`
 * membership of a fresh listing (taken once this process's writes in flight are done) that was
 * neither in this process's listing from before the invite nor placed by another create of this
 * run. When that does not single out one membership (another invite landed at the same moment, or
 * Mode answered with an invite that was already pending), the invite stays sent and the error says
 * how to bring it under management. Before the first invite to a workspace this process lists it
 * once (usually already done by a diff), so "before" is always known.
 */
export async function inviteMember(workspace: string, email: string, message: string): Promise<SentInvite> {
  const listing = workspaceMemberships(workspace);
  const before = listing.snapshot() ?? (await listing.all());
  const invite = await listing.write(() =>
    providerContext().modeApi().createInvite(workspace, { email, message }),
  );
  const href = invite._links.invitee?.href;
  if (href) return { invite, username: usernameFromHref(href) };
  const known = new Set(before.map((m) => memberId(m.member_username)));
  const added = (await listing.all()).filter(
    (m) =>
      m.state === "invited" &&
      !known.has(memberId(m.member_username)) &&
      !listing.wasPlaced(memberId(m.member_username)),
  );
  const only = added.length === 1 ? added[0] : undefined;
  if (only) return { invite, username: only.member_username };
  const why =
    added.length === 0
      ? "no new pending membership appeared (the invite was already pending)"
      : `${String(added.length)} new pending memberships appeared at the same moment (${added
          .map((m) => m.member_username)
          .join(", ")})`;
  throw new Error(
    `Mode accepted the invite of ${email} to ${workspace} but did not say who the invitee is (the answer ` +
      `has no _links.invitee), and ${why}, so pulumi-mode cannot tell which membership is theirs. The invite ` +
      "is sent once (Mode keeps one pending invite per email). To manage it, find their username " +
      "(getWorkspaceMemberships lists pending invitees) and declare a mode.WorkspaceMembership with it, " +
      "which adopts a pending invitee; or revoke the pending invite in Mode and run `pulumi up` again.",
  );
}

/** The username a HAL link to a user points to: the last path segment of `.../{username}`. */
export function usernameFromHref(href: string): string {
  const path = href.split(/[?#]/, 1)[0] ?? "";
  const segments = path.split("/").filter((segment) => segment !== "");
  return decodeURIComponent(segments[segments.length - 1] ?? "");
}

/** Records that a create of this run invited or adopted `username`: it belongs to that resource now. */
export function markMemberPlaced(workspace: string, username: string): void {
  workspaceMemberships(workspace).markPlaced(memberId(username));
}

/** True when a create of this run invited or adopted `username`. */
export function wasMemberPlaced(workspace: string, username: string): boolean {
  return workspaceMemberships(workspace).wasPlaced(memberId(username));
}

/**
 * Whether the identity provider owns a membership (SCIM-managed): then only it may remove the
 * member, never this package. (The credentials' own membership is the other one this package never
 * removes, but only Mode knows it: see {@link deleteMembership}.)
 */
export function ownedByIdentityProvider(live: WorkspaceMembership): boolean {
  return live.managed_by_scim === true;
}

/**
 * Why an undeclared member stays, or undefined when an authoritative list removes them: admins (the
 * credentials' own user among them: only admin credentials can remove anyone) and SCIM-managed
 * memberships.
 */
export function keptBecause(live: WorkspaceMembership): KeptBecause | undefined {
  if (ownedByIdentityProvider(live)) return "managedByScim";
  if (live.admin) return "admin";
  return undefined;
}

/**
 * Deletes one membership of this run's listing of `workspace` (revoking a pending or expired invite,
 * removing an active or deactivated member). Already gone is success, and so is a membership a
 * create of this run placed (it belongs to that resource now). Returns `"self"` instead of throwing
 * when Mode refuses with a 400: a workspace cannot remove the user whose API token this stack uses;
 * `refusal` holds Mode's words.
 */
export async function deleteMembership(
  workspace: string,
  live: WorkspaceMembership,
): Promise<{ outcome: "removed" } | { outcome: "self"; refusal: string; cause: ApiError }> {
  try {
    await deleteIfPresent(workspaceMemberships(workspace), memberId(live.member_username), () =>
      providerContext().modeApi().deleteMembership(workspace, live.member_token),
    );
    return { outcome: "removed" };
  } catch (err) {
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    return { outcome: "self", refusal: err.serverMessage ?? err.message, cause: err };
  }
}

/**
 * Removes `username` from `workspace`: revokes a pending or expired invite, removes an active or
 * deactivated member. Already gone is success, and so is a member a create of this run placed. A
 * SCIM-managed membership is never deleted, nor the credentials' own (Mode refuses it with a 400):
 * both fail with what to do instead. `who` names the person in messages (an email when the stack
 * knows one).
 */
export async function removeMember(workspace: string, username: string, who: string): Promise<void> {
  if (wasMemberPlaced(workspace, username)) return; // the replacement's now
  const live = await findMember(workspace, username);
  if (!live) return;
  const keep =
    "To keep them and stop managing them, run `pulumi state delete` on this resource, or set the " +
    "retainOnDelete resource option before destroying.";
  if (ownedByIdentityProvider(live)) {
    throw new Error(
      `Not removing ${who} from ${workspace}: the membership is managed by SCIM (managed_by_scim), so only ` +
        `the identity provider may remove it. Remove ${who} in your identity provider. ${keep}`,
    );
  }
  const result = await deleteMembership(workspace, live);
  if (result.outcome === "self") {
    throw new Error(
      `Not removing ${who} from ${workspace}: Mode refused (${result.refusal}); a workspace ` +
        `cannot remove the user whose API token this stack uses. ${keep}`,
      { cause: result.cause },
    );
  }
}
