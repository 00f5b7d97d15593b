/**
 * OrgInvite: an invite into an organization through the organization-invites API (JSON:API).
 */
import type { FromSchema } from "json-schema-to-ts";
import { ApiError, isNotFound, isOrgInviteAccepted, type OrgInvite } from "../client";
import { providerContext } from "../context";
import { checkInputs, compileInputSchema, fragments, type PropertyBag } from "../inputs";
import { compareInputs, diffResult, GONE, pick, type ResourceImplementation, same, str } from "../resource";

// ---- types ---------------------------------------------------------------------------------------

/** The inputs of an OrgInvite, declared once. */
export const orgInviteInputSchema = {
  type: "object",
  required: ["organizationId", "recipientEmail"],
  properties: {
    organizationId: fragments.token,
    recipientEmail: fragments.email,
    inviteUserAs: { type: "string", enum: ["admin"] },
  },
  additionalProperties: false,
} as const;

/** OrgInvite inputs. */
export type OrgInviteInputs = FromSchema<typeof orgInviteInputSchema>;

/** Where an organization invite stands. */
export type OrgInviteStatus = "pending" | "accepted" | "cancelled";

/** OrgInvite outputs (`code` is stored as a secret by the SDK's additionalSecretOutputs). */
export interface OrgInviteOutputs extends PropertyBag {
  organizationId: string;
  recipientEmail: string;
  inviteUserAs: string | null;
  inviteId: string;
  status: OrgInviteStatus;
  acceptedAt: string | null;
  acceptedByUserId: string | null;
  invitedByUserId: string | null;
  createdAt: string;
  code: string;
}

const INPUT_KEYS = ["organizationId", "recipientEmail", "inviteUserAs"] as const;
const compiled = compileInputSchema(orgInviteInputSchema, {
  trimmed: ["organizationId", "recipientEmail"],
  messages: {
    organizationId: "organizationId must be an organization id (letters, digits, '_', '-')",
    recipientEmail: "recipientEmail must be an email address like name@example.com",
  },
});

// ---- check ---------------------------------------------------------------------------------------

async function check(_olds: PropertyBag, news: PropertyBag) {
  return checkInputs(compiled, news);
}

// ---- diff ----------------------------------------------------------------------------------------

async function diff(_id: string, olds: PropertyBag, news: PropertyBag) {
  const changes = compareInputs(olds, news, [
    { name: "organizationId", compare: "exact" },
    { name: "recipientEmail", compare: "caseInsensitive" },
    { name: "inviteUserAs", compare: "exact" },
  ]);
  // A second pending invite for the same email is refused (422): delete the old one first.
  const sameRecipient =
    same(olds.organizationId, news.organizationId, "exact") &&
    same(olds.recipientEmail, news.recipientEmail, "caseInsensitive");
  if (changes.hasUnknowns || changes.replaces.length > 0)
    return diffResult(changes, undefined, sameRecipient);
  const live = await findInvite(str(olds, "organizationId"), str(olds, "inviteId"));
  const drifted = !live || statusOf(live) === "cancelled";
  return diffResult(changes, drifted ? "status" : undefined, true);
}

// ---- create --------------------------------------------------------------------------------------

async function create(inputs: PropertyBag) {
  const context = providerContext();
  const organizationId = str(inputs, "organizationId");
  const recipientEmail = str(inputs, "recipientEmail");
  const inviteUserAs = inputs.inviteUserAs === "admin" ? "admin" : undefined;
  let invite: OrgInvite;
  try {
    invite = await context.orgClient().createInvite(organizationId, { recipientEmail, inviteUserAs });
  } catch (err) {
    // A pending invite for this email already exists (created outside Pulumi, or by an attempt
    // whose response was lost): adopt it when it grants the same role.
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    context.orgInvites.invalidate(organizationId);
    const existing = await findPending(organizationId, recipientEmail);
    if (!existing) throw err;
    if ((existing.attributes.invite_user_as ?? null) !== (inviteUserAs ?? null)) {
      throw new Error(
        `A pending invite ${existing.id} for ${recipientEmail} already exists with inviteUserAs ` +
          `${JSON.stringify(existing.attributes.invite_user_as ?? null)}; delete it or declare the same inviteUserAs.`,
      );
    }
    invite = existing;
  } finally {
    context.orgInvites.invalidate(organizationId);
  }
  return { id: invite.id, outs: outputsOf(organizationId, recipientEmail, invite) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(id: string, props: PropertyBag) {
  const organizationId = str(props, "organizationId");
  const live = await findInvite(organizationId, str(props, "inviteId") || id);
  if (!live) return GONE;
  const outs = outputsOf(
    organizationId,
    str(props, "recipientEmail") || live.attributes.recipient_email,
    live,
  );
  return { id: live.id, props: outs, inputs: pick(outs, INPUT_KEYS) };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the invite, so diff never asks for an in-place update. */
async function update(_id: string, olds: PropertyBag) {
  return { outs: olds };
}

// ---- delete --------------------------------------------------------------------------------------

async function del(id: string, props: PropertyBag) {
  const context = providerContext();
  const organizationId = str(props, "organizationId");
  try {
    await context.orgClient().deleteInvite(organizationId, str(props, "inviteId") || id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  } finally {
    context.orgInvites.invalidate(organizationId);
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** An invite's status: accepted, cancelled in the product's UI, or pending. */
export function statusOf(invite: OrgInvite): OrgInviteStatus {
  if (isOrgInviteAccepted(invite)) return "accepted";
  if (invite.relationships?.cancelled_by_user?.data) return "cancelled";
  return "pending";
}

function outputsOf(organizationId: string, recipientEmail: string, invite: OrgInvite): OrgInviteOutputs {
  const attributes = invite.attributes;
  const accepted = isOrgInviteAccepted(invite);
  return {
    organizationId,
    recipientEmail,
    inviteUserAs: attributes.invite_user_as ?? null,
    inviteId: invite.id,
    status: statusOf(invite),
    acceptedAt: accepted ? (attributes.accepted_at ?? null) : null,
    acceptedByUserId: invite.relationships?.accepted_by_user?.data?.id ?? null,
    invitedByUserId: invite.relationships?.invited_by_user?.data?.id ?? null,
    createdAt: attributes.created_at,
    code: attributes.code,
  };
}

/** The invite with `inviteId`, from the run's shared listing of the organization; undefined when gone. */
export async function findInvite(organizationId: string, inviteId: string): Promise<OrgInvite | undefined> {
  const invites = await listInvites(organizationId);
  return invites.find((invite) => invite.id === inviteId);
}

async function findPending(organizationId: string, email: string): Promise<OrgInvite | undefined> {
  const invites = await listInvites(organizationId);
  return invites.find(
    (invite) =>
      statusOf(invite) === "pending" && same(invite.attributes.recipient_email, email, "caseInsensitive"),
  );
}

async function listInvites(organizationId: string): Promise<OrgInvite[]> {
  const context = providerContext();
  try {
    return await context.orgInvites.get(organizationId, () =>
      context.orgClient().listInvites(organizationId, { perPage: 100 }),
    );
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** The OrgInvite implementation. */
export const orgInvite: ResourceImplementation = { check, diff, create, read, update, delete: del };
