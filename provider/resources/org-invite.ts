/**
 * OrgInvite: an invite into an organization through the organization-invites API (JSON:API).
 */
import type { FromSchema } from "json-schema-to-ts";
import { isOrgInviteAccepted, type OrgInvite } from "../client";
import { deleteInvite, findInvite, sendInvite, statusOf } from "../collections/org-invites";
import { ObjectSchema, type PropertyBag } from "../inputs";
import { implement, same, type Created, type Drift } from "../resource";
import { INVITE_ROLES, RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  organizationId: { ...stringSchema(RULES.token), description: "The organization's id." },
  recipientEmail: {
    ...stringSchema(RULES.email),
    description: "The invitee's email (surrounding spaces are ignored).",
  },
  inviteUserAs: {
    type: "string",
    enum: INVITE_ROLES,
    description: "`admin` to invite the recipient as an administrator; omit for a regular member.",
  },
} as const;

/** The inputs of an OrgInvite, declared once. */
export const orgInviteInputSchema = {
  type: "object",
  required: ["organizationId", "recipientEmail"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** OrgInvite inputs. */
export type OrgInviteInputs = FromSchema<typeof orgInviteInputSchema>;

/** The state of an OrgInvite (`code` is stored as a secret by the SDK's additionalSecretOutputs). */
export const orgInviteStateSchema = {
  type: "object",
  required: ["organizationId", "recipientEmail", "inviteId"],
  properties: {
    ...inputProperties,
    inviteUserAs: {
      type: ["string", "null"],
      enum: [...INVITE_ROLES, null],
      description: "`admin`, or null for a regular member.",
    },
    inviteId: { ...stringSchema(RULES.token), description: "The invite's id." },
    status: {
      type: "string",
      enum: ["pending", "accepted", "cancelled"],
      description: "Where the invite stands (`cancelled`: cancelled in the product's UI).",
    },
    acceptedAt: {
      type: ["string", "null"],
      description:
        "When the invite was accepted (ISO 8601); null until then (the API's `-4712-01-01T00:00:00Z` sentinel also means not accepted).",
    },
    acceptedByUserId: {
      type: ["string", "null"],
      description: "The id of the user who accepted, once accepted.",
    },
    invitedByUserId: { type: ["string", "null"], description: "The id of the user who created the invite." },
    createdAt: { type: "string", description: "When the invite was created (ISO 8601)." },
    code: {
      type: "string",
      description:
        "The acceptance code, for `mode.OrgInviteAcceptance`. Stored as a secret; never shown in errors.",
    },
    adopted: {
      type: "boolean",
      description: "True when a pending invite for the same email and role already existed and was adopted.",
    },
  },
  additionalProperties: false,
} as const;

/** OrgInvite outputs. */
export type OrgInviteOutputs = FromSchema<typeof orgInviteStateSchema>;

/** Where an organization invite stands. */
export type OrgInviteStatus = NonNullable<OrgInviteOutputs["status"]>;

const inputs = new ObjectSchema<OrgInviteInputs>(orgInviteInputSchema, "inputs of mode:OrgInvite", {
  trimmed: ["organizationId", "recipientEmail"],
});
const state = new ObjectSchema<OrgInviteOutputs>(orgInviteStateSchema, "stored outputs of mode:OrgInvite", {
  secrets: ["code"],
});

// ---- diff ----------------------------------------------------------------------------------------

/** A second pending invite for the same email is refused (422): a replacement for it deletes first. */
function deleteBeforeReplace(olds: OrgInviteOutputs, news: PropertyBag): boolean {
  return (
    same(olds.organizationId, news.organizationId, "exact") &&
    same(olds.recipientEmail, news.recipientEmail, "caseInsensitive")
  );
}

async function drift(olds: OrgInviteOutputs): Promise<Drift<OrgInviteOutputs> | undefined> {
  const live = await findInvite(olds.organizationId, olds.inviteId);
  const who = `${olds.recipientEmail} in organization ${olds.organizationId}`;
  if (!live)
    return {
      property: "status",
      reason: `${who}: the invite was deleted outside Pulumi — up sends a new invite`,
    };
  if (statusOf(live) === "cancelled") {
    return {
      property: "status",
      reason: `${who}: the invite was cancelled in Mode — up deletes it and sends a new invite`,
    };
  }
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: OrgInviteInputs): Promise<Created<OrgInviteOutputs>> {
  // A pending invite for this email (sent outside Pulumi, or by a lost response) is adopted when it
  // grants the same role.
  const { object, adopted } = await sendInvite(args.organizationId, args);
  return { id: object.id, outs: outputsOf(args, object, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(_id: string, olds: OrgInviteOutputs): Promise<Created<OrgInviteOutputs> | undefined> {
  const live = await findInvite(olds.organizationId, olds.inviteId);
  if (!live) return undefined;
  return { id: live.id, outs: outputsOf(olds, live, olds.adopted) };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the invite, so diff never asks for an in-place update. */
async function update(_id: string, olds: OrgInviteOutputs): Promise<OrgInviteOutputs> {
  return olds;
}

// ---- delete --------------------------------------------------------------------------------------

async function del(_id: string, olds: OrgInviteOutputs): Promise<void> {
  await deleteInvite(olds.organizationId, olds.inviteId);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(
  args: { organizationId: string; recipientEmail: string },
  invite: OrgInvite,
  adopted: boolean | undefined,
): OrgInviteOutputs {
  const attributes = invite.attributes;
  const role = attributes.invite_user_as;
  return {
    organizationId: args.organizationId,
    recipientEmail: args.recipientEmail,
    inviteUserAs: role === "admin" ? role : null,
    inviteId: invite.id,
    status: statusOf(invite),
    acceptedAt: isOrgInviteAccepted(invite) ? (attributes.accepted_at ?? null) : null,
    acceptedByUserId: invite.relationships?.accepted_by_user?.data?.id ?? null,
    invitedByUserId: invite.relationships?.invited_by_user?.data?.id ?? null,
    createdAt: attributes.created_at,
    code: attributes.code,
    adopted: adopted ?? false,
  };
}

/** The OrgInvite implementation. */
export const orgInvite = implement<OrgInviteInputs, OrgInviteOutputs>({
  kind: "OrgInvite",
  inputs,
  state,
  identity: { organizationId: "exact", recipientEmail: "caseInsensitive", inviteUserAs: "exact" },
  deleteBeforeReplace,
  drift,
  create,
  read,
  update,
  delete: del,
});
