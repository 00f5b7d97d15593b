/**
 * HAL+JSON renderings of Mode objects. Every href is absolute (`{modeApiUrl}/...`) and every link is
 * `{href, templated: false}`. A user's href is `{modeApiUrl}/{username}`, used identically by the
 * invite's `_links.invitee` and the membership's `_links.user`.
 */
import { seg } from "./http";
import { effectiveState, userById } from "./mode-model";
import { Membership, ModeInvite, Space, SpaceMembership, Store, Workspace } from "./store";

/** A HAL link. */
export interface Link {
  /** Target URL. */
  href: string;
  /** Always false. */
  templated: false;
}

/** Builds a HAL link. */
export function link(href: string): Link {
  return { href, templated: false };
}

/** The href of a user (or any account) by username. */
export function userHref(base: string, username: string): string {
  return `${base}/${seg(username)}`;
}

/** The product's web origin for an API base URL (`…/api` removed). */
export function webBase(base: string): string {
  return base.replace(/\/api$/, "");
}

/** Renders a workspace invite. */
export function inviteView(
  store: Store,
  base: string,
  ws: Workspace,
  inv: ModeInvite,
): Record<string, unknown> {
  const invitee = userById(store, inv.inviteeId);
  const inviter = userById(store, inv.inviterId);
  return {
    email: inv.email,
    message: inv.message,
    inviter_id: inv.inviterId,
    invitee_id: inv.inviteeId,
    organization_id: ws.id,
    limited: inv.limited,
    created_at: inv.createdAt,
    sent_at: inv.sentAt,
    resent_at: inv.resentAt,
    clicked_at: inv.clickedAt,
    accepted_at: inv.acceptedAt,
    expires_at: inv.expiresAt,
    _links: {
      self: link(`${base}/${seg(ws.username)}/invites/${inv.id}`),
      invitee: link(userHref(base, invitee?.username ?? String(inv.inviteeId))),
      inviter: link(userHref(base, inviter?.username ?? ws.username)),
      web_self_resend: link(`${webBase(base)}/organizations/${seg(ws.username)}/invites/${inv.id}/resend`),
    },
    _embedded: {},
  };
}

/** Renders a workspace membership. */
export function membershipView(
  store: Store,
  base: string,
  ws: Workspace,
  m: Membership,
): Record<string, unknown> {
  const user = userById(store, m.userId);
  const token = user?.token ?? "";
  const self = `${base}/${seg(ws.username)}/memberships/${seg(token)}`;
  return {
    admin: m.admin,
    invited: m.invited,
    state: effectiveState(store, m),
    member_username: user?.username ?? "",
    member_token: token,
    activated_at: m.activatedAt,
    managed_by_scim: m.managedByScim,
    limited: m.limited,
    _links: {
      self: link(self),
      user: link(userHref(base, user?.username ?? "")),
      organization: link(userHref(base, ws.username)),
      web_self: link(`${webBase(base)}/organizations/${seg(ws.username)}/memberships/${seg(token)}`),
      groups: link(`${self}/groups`),
    },
    _embedded: {},
  };
}

/** Renders a space membership. */
export function spaceMembershipView(
  store: Store,
  base: string,
  ws: Workspace,
  space: Space,
  sm: SpaceMembership,
): Record<string, unknown> {
  const user =
    sm.memberType === "User" ? store.data.users.find((u) => u.token === sm.memberToken) : undefined;
  const creator = userById(store, sm.creatorId);
  const member =
    sm.memberType === "User"
      ? userHref(base, user?.username ?? sm.memberToken)
      : `${base}/${seg(ws.username)}/groups/${seg(sm.memberToken)}`;
  return {
    token: sm.token,
    member_token: sm.memberToken,
    member_type: sm.memberType,
    member_id: sm.memberId,
    email: user ? user.email : null,
    _links: {
      self: link(`${base}/${seg(ws.username)}/spaces/${seg(space.token)}/memberships/${seg(sm.token)}`),
      member: link(member),
      creator: link(userHref(base, creator?.username ?? ws.username)),
    },
    _embedded: {},
  };
}
