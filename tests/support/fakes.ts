/**
 * In-memory fakes of the API clients for unit tests of the resources: listings served from arrays,
 * every call counted (so "no request" is provable).
 */
import type { OrgInvite, SpaceMembership, WorkspaceMembership } from "../../provider/client";
import { ApiError } from "../../provider/client";
import type { ProviderContext } from "../../provider/context";
import { fakeContext } from "./apis";
import { resourceProvider } from "../../provider";
import type { PropertyBag } from "../../provider/inputs";

/** Fake Mode/org clients: listings served from arrays, every call counted. */
export class Fakes {
  calls: string[] = [];
  memberships: WorkspaceMembership[] = [];
  spaceMemberships: SpaceMembership[] = [];
  invites: OrgInvite[] = [];
  warnings: string[] = [];
  /** Status the next workspace-membership delete answers with (200 when unset). */
  deleteStatus?: number;
  /** Whether an invite comes back with `_links.invitee` (Mode's published description makes it optional). */
  inviteeLink = true;
  /** Usernames someone else invites at the same moment as the next invite (they appear with it). */
  invitedMeanwhile: string[] = [];

  context(): ProviderContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fakes = this;
    async function* iterate<T>(name: string, items: T[]): AsyncIterableIterator<T> {
      fakes.calls.push(name);
      yield* items;
    }
    const mode = {
      listMemberships: () => iterate("listMemberships", fakes.memberships),
      listSpaceMemberships: () => iterate("listSpaceMemberships", fakes.spaceMemberships),
      deleteMembership: async (_workspace: string, token: string) => {
        fakes.calls.push(`deleteMembership ${token}`);
        const status = fakes.deleteStatus ?? 200;
        const kind = status === 404 ? "not_found" : status === 400 ? "validation" : "server";
        if (status >= 300) {
          const serverMessage = status === 400 ? "You cannot remove yourself from the workspace." : "x";
          throw new ApiError({
            api: "mode",
            kind,
            status,
            method: "DELETE",
            path: "/acme/memberships/x",
            serverMessage,
          });
        }
        const gone = fakes.memberships.find((m) => m.member_token === token) ?? membership(token);
        fakes.memberships = fakes.memberships.filter((m) => m.member_token !== token);
        return gone;
      },
    };
    const createInvite = async (_workspace: string, invite: { email: string; message: string }) => {
      fakes.calls.push(`createInvite ${invite.email}`);
      const username = invite.email.split("@")[0] ?? invite.email;
      const pending = fakes.memberships.some((m) => m.member_username === username);
      if (!pending) fakes.memberships.push(membership(username, "invited"));
      for (const other of fakes.invitedMeanwhile) fakes.memberships.push(membership(other, "invited"));
      fakes.invitedMeanwhile = [];
      const href = (path: string) => ({ href: `/api/${path}` });
      return {
        email: invite.email,
        message: invite.message,
        invitee_id: "7",
        inviter_id: 1,
        organization_id: 3,
        limited: false,
        created_at: "2026-11-01T00:00:00Z",
        expires_at: "2026-11-08T00:00:00Z",
        resent_at: pending ? "2026-11-02T00:00:00Z" : null,
        _links: {
          inviter: href("admin"),
          web_self_resend: href("acme/invites/1/resend"),
          ...(fakes.inviteeLink ? { invitee: href(username) } : {}),
        },
      };
    };
    const org = { listInvites: () => iterate("listInvites", fakes.invites) };
    return fakeContext({ mode: { ...mode, createInvite }, org }, (message) => fakes.warnings.push(message));
  }
}

export function membership(
  username: string,
  state = "active",
  extra: { admin?: boolean; scim?: boolean } = {},
): WorkspaceMembership {
  return {
    admin: extra.admin ?? false,
    managed_by_scim: extra.scim ?? false,
    state,
    member_username: username,
    member_token: `tok-${username}`,
    activated_at: null,
    _links: {
      self: { href: `/api/acme/memberships/tok-${username}` },
      web_self: { href: `/organizations/acme/memberships/tok-${username}` },
      organization: { href: "/api/acme" },
      groups: { href: `/api/acme/memberships/tok-${username}/groups` },
    },
  };
}

export function orgInvite(
  id: string,
  email: string,
  extra: { accepted?: boolean; cancelled?: boolean } = {},
): OrgInvite {
  const user = (present: boolean | undefined) => ({ data: present ? { id: "u1", type: "users" } : null });
  return {
    id,
    type: "organization_invites",
    attributes: {
      accepted_at: extra.accepted ? "2026-11-01T00:00:00Z" : "-4712-01-01T00:00:00Z",
      code: "c0de",
      created_at: "2026-11-01T00:00:00Z",
      recipient_email: email,
      updated_at: "2026-11-01T00:00:00Z",
      invite_user_as: null,
    },
    relationships: {
      accepted_by_user: user(extra.accepted),
      cancelled_by_user: user(extra.cancelled),
      invited_by_user: user(true),
    },
  };
}

export const workspaceInvite = resourceProvider("WorkspaceInvite");
export const spaceMembership = resourceProvider("SpaceMembership");
export const orgInviteProvider = resourceProvider("OrgInvite");
export const acceptance = resourceProvider("OrgInviteAcceptance");
export const workspaceMembership = resourceProvider("WorkspaceMembership");

export async function failuresOf(
  provider: typeof workspaceInvite,
  news: PropertyBag,
): Promise<Record<string, string>> {
  const result = await provider.check({}, news);
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}
