/**
 * Organization-invites API rules (JSON:API): bearer authentication, organization access, invite
 * creation, acceptance, deletion and the JSON:API rendering of an invite.
 */
import { timingSafeEqual } from "node:crypto";
import { ApiError, isEmail, isObject, normEmail } from "./http";
import { Org, OrgInvite, Store, newUuid, randomHex } from "./store";

/** What list/get report as `accepted_at` for an invite that is not accepted (document 003). */
export const NOT_ACCEPTED = "-4712-01-01T00:00:00Z";
/** Values accepted for `invite_user_as` (besides absent/null). */
export const INVITE_USER_AS = ["admin"];

/** Timestamps of this API have whole seconds: `2021-11-23T14:38:02Z`. */
export function orgTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Resolves the organization and checks the bearer token. @throws 401, 404, 403 */
export function orgAccess(store: Store, authorization: string | undefined, orgId: string): Org {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const given = m ? Buffer.from(m[1]) : null;
  const caller = given
    ? store.data.orgs.find((o) => {
        const t = Buffer.from(o.token);
        return t.length === given.length && timingSafeEqual(t, given);
      })
    : undefined;
  if (!caller) throw new ApiError(401, "unauthorized", "Missing or invalid bearer token.");
  const org = store.data.orgs.find((o) => o.id === orgId);
  if (!org) throw new ApiError(404, "not_found", `Organization ${orgId} not found.`);
  if (org !== caller) throw new ApiError(403, "forbidden", "This token does not belong to the organization.");
  return org;
}

/** Whether an invite is still pending (neither accepted nor cancelled). */
export function isPending(inv: OrgInvite): boolean {
  return inv.acceptedAt === null && inv.cancelledByUserId === null;
}

/** Invites of an organization in creation order, optionally only `admin` ones. */
export function listInvites(store: Store, org: Org, inviteUserAs: string | null): OrgInvite[] {
  return store.data.orgInvites.filter(
    (i) => i.organizationId === org.id && (inviteUserAs === null || i.inviteUserAs === inviteUserAs),
  );
}

/** Finds an invite of the organization. @throws 404 */
export function findInvite(store: Store, org: Org, id: string): OrgInvite {
  const inv = store.data.orgInvites.find((i) => i.organizationId === org.id && i.id === id);
  if (!inv) throw new ApiError(404, "not_found", `Invite ${id} not found.`);
  return inv;
}

/** Checks `{"data": {"type": "organization_invites", "attributes": {...}}}`; returns the attributes. @throws 422 */
export function documentAttributes(body: unknown): Record<string, unknown> {
  if (!isObject(body) || !isObject(body.data)) {
    throw new ApiError(422, "invalid", "The body must be a JSON:API document with a data object.", "/data");
  }
  if (body.data.type !== "organization_invites") {
    throw new ApiError(422, "invalid", 'data.type must be "organization_invites".', "/data/type");
  }
  const attrs = body.data.attributes ?? {};
  if (!isObject(attrs))
    throw new ApiError(422, "invalid", "data.attributes must be an object.", "/data/attributes");
  return attrs;
}

function parseDate(v: unknown): Date | null {
  if (typeof v !== "string") return null;
  const t = Date.parse(v.replace(/ UTC$/, "Z").replace(/^(\d{4}-\d\d-\d\d) /, "$1T"));
  return Number.isNaN(t) ? null : new Date(t);
}

/** Creates an invite. @throws 422 */
export function createInvite(store: Store, org: Org, body: unknown): OrgInvite {
  const attrs = documentAttributes(body);
  const email = attrs.recipient_email;
  if (!isEmail(email)) {
    throw new ApiError(
      422,
      "invalid",
      "recipient_email must be a valid email address.",
      "/data/attributes/recipient_email",
    );
  }
  const as = attrs.invite_user_as ?? null;
  if (as !== null && (typeof as !== "string" || !INVITE_USER_AS.includes(as))) {
    throw new ApiError(
      422,
      "invalid",
      'invite_user_as accepts only "admin".',
      "/data/attributes/invite_user_as",
    );
  }
  let updatedInDb: Date | null = null;
  if (attrs.updated_in_db_at !== undefined && attrs.updated_in_db_at !== null) {
    updatedInDb = parseDate(attrs.updated_in_db_at);
    if (!updatedInDb) {
      throw new ApiError(
        422,
        "invalid",
        "updated_in_db_at must be a date.",
        "/data/attributes/updated_in_db_at",
      );
    }
  }
  const dup = store.data.orgInvites.some(
    (i) => i.organizationId === org.id && isPending(i) && normEmail(i.recipientEmail) === normEmail(email),
  );
  if (dup) {
    throw new ApiError(
      422,
      "taken",
      `A pending invite for ${email} already exists in this organization.`,
      "/data/attributes/recipient_email",
    );
  }
  const now = orgTime(store.now());
  const inv: OrgInvite = {
    id: newUuid(),
    organizationId: org.id,
    recipientEmail: email.trim(),
    code: randomHex(64),
    inviteUserAs: as,
    createdAt: now,
    updatedAt: now,
    updatedInDbAt: updatedInDb ? orgTime(updatedInDb) : now,
    acceptedAt: null,
    acceptedByUserId: null,
    cancelledByUserId: null,
    invitedByUserId: org.adminUserId,
  };
  store.data.orgInvites.push(inv);
  store.markDirty();
  return inv;
}

/** Accepts an invite with its code. @throws 422 */
export function acceptInvite(store: Store, inv: OrgInvite, body: unknown): OrgInvite {
  const attrs = documentAttributes(body);
  const code = attrs.code;
  const pointer = "/data/attributes/code";
  if (typeof code !== "string" || code.length !== inv.code.length) {
    throw new ApiError(422, "invalid", "The code does not match this invite.", pointer);
  }
  if (!timingSafeEqual(Buffer.from(code), Buffer.from(inv.code))) {
    throw new ApiError(422, "invalid", "The code does not match this invite.", pointer);
  }
  if (inv.acceptedAt !== null)
    throw new ApiError(422, "invalid", "This invite was already accepted.", pointer);
  if (inv.cancelledByUserId !== null)
    throw new ApiError(422, "invalid", "This invite was cancelled.", pointer);
  const now = orgTime(store.now());
  inv.acceptedAt = now;
  inv.updatedAt = now;
  inv.acceptedByUserId = newUuid();
  store.markDirty();
  return inv;
}

/** Cancels an invite as if in the product's UI (control interface only). */
export function cancelInvite(store: Store, org: Org, inv: OrgInvite): void {
  inv.cancelledByUserId = org.adminUserId;
  inv.updatedAt = orgTime(store.now());
  store.markDirty();
}

/** Deletes an invite. */
export function deleteInvite(store: Store, inv: OrgInvite): void {
  store.data.orgInvites = store.data.orgInvites.filter((i) => i !== inv);
  store.markDirty();
}

function rel(id: string | null): { data: { id: string; type: "users" } | null } {
  return { data: id === null ? null : { id, type: "users" } };
}

/**
 * Renders an invite resource object. `created` selects the create-response quirk of document 003:
 * `accepted_at: null` there, `"-4712-01-01T00:00:00Z"` everywhere else for an unaccepted invite.
 */
export function inviteResource(inv: OrgInvite, created = false): Record<string, unknown> {
  return {
    id: inv.id,
    type: "organization_invites",
    attributes: {
      accepted_at: inv.acceptedAt ?? (created ? null : NOT_ACCEPTED),
      code: inv.code,
      created_at: inv.createdAt,
      invite_user_as: inv.inviteUserAs,
      recipient_email: inv.recipientEmail,
      updated_at: inv.updatedAt,
      updated_in_db_at: inv.updatedInDbAt,
    },
    relationships: {
      accepted_by_user: rel(inv.acceptedByUserId),
      cancelled_by_user: rel(inv.cancelledByUserId),
      invited_by_user: rel(inv.invitedByUserId),
    },
  };
}
