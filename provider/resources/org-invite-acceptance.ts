/**
 * OrgInviteAcceptance: accepts an organization invite with its code
 * (`PUT .../invites/{id}/accept`). Acceptance cannot be undone through the API.
 */
import type { FromSchema } from "json-schema-to-ts";
import { isOrgInviteAccepted, type OrgInvite } from "../client";
import { acceptInvite, findInvite } from "../collections/org-invites";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  organizationId: { ...stringSchema(RULES.token), description: "The organization's id." },
  inviteId: {
    ...stringSchema(RULES.token),
    description: "The id of the invite to accept, usually `invite.inviteId` of a `mode.OrgInvite`.",
  },
  code: {
    ...stringSchema(RULES.inviteCode),
    description:
      "The invite's acceptance code, usually `invite.code`. Always stored as a secret; never shown in errors.",
  },
} as const;

/** The inputs of an OrgInviteAcceptance, declared once. */
export const orgInviteAcceptanceInputSchema = {
  type: "object",
  required: ["organizationId", "inviteId", "code"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** OrgInviteAcceptance inputs. */
export type OrgInviteAcceptanceInputs = FromSchema<typeof orgInviteAcceptanceInputSchema>;

/** The state of an OrgInviteAcceptance (`code` is stored as a secret). */
export const orgInviteAcceptanceStateSchema = {
  type: "object",
  required: ["organizationId", "inviteId", "code"],
  properties: {
    ...inputProperties,
    acceptedAt: { type: ["string", "null"], description: "When the invite was accepted (ISO 8601)." },
    acceptedByUserId: { type: ["string", "null"], description: "The id of the user who accepted." },
    adopted: {
      type: "boolean",
      description:
        "True when the invite was already accepted (e.g. by an attempt whose answer was lost) and adopted.",
    },
  },
  additionalProperties: false,
} as const;

/** OrgInviteAcceptance outputs. */
export type OrgInviteAcceptanceOutputs = FromSchema<typeof orgInviteAcceptanceStateSchema>;

const inputs = new ObjectSchema<OrgInviteAcceptanceInputs>(
  orgInviteAcceptanceInputSchema,
  "inputs of mode:OrgInviteAcceptance",
  { trimmed: ["organizationId", "inviteId", "code"], secrets: ["code"] },
);
const state = new ObjectSchema<OrgInviteAcceptanceOutputs>(
  orgInviteAcceptanceStateSchema,
  "stored outputs of mode:OrgInviteAcceptance",
  { secrets: ["code"] },
);

// ---- diff ----------------------------------------------------------------------------------------

async function drift(
  olds: OrgInviteAcceptanceOutputs,
): Promise<Drift<OrgInviteAcceptanceOutputs> | undefined> {
  const live = await findInvite(olds.organizationId, olds.inviteId);
  const which = `invite ${olds.inviteId} in organization ${olds.organizationId}`;
  if (!live) {
    return {
      property: "acceptedAt",
      reason: `${which}: the invite was deleted outside Pulumi — up tries to accept it again`,
    };
  }
  if (!isOrgInviteAccepted(live)) {
    return {
      property: "acceptedAt",
      reason: `${which}: the invite is no longer accepted — up accepts it again`,
    };
  }
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: OrgInviteAcceptanceInputs): Promise<Created<OrgInviteAcceptanceOutputs>> {
  // An acceptance whose response was lost is adopted (accepting twice is refused).
  const { object, adopted } = await acceptInvite(args.organizationId, args.inviteId, args.code);
  return { id: args.inviteId, outs: outputsOf(args, object, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(
  id: string,
  olds: OrgInviteAcceptanceOutputs,
): Promise<Created<OrgInviteAcceptanceOutputs> | undefined> {
  const live = await findInvite(olds.organizationId, olds.inviteId);
  if (!live || !isOrgInviteAccepted(live)) return undefined;
  return { id, outs: outputsOf(olds, live, olds.adopted) };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the acceptance, so diff never asks for an in-place update. */
async function update(_id: string, olds: OrgInviteAcceptanceOutputs): Promise<OrgInviteAcceptanceOutputs> {
  return olds;
}

// ---- delete --------------------------------------------------------------------------------------

/** An acceptance cannot be undone through the API: deleting only removes it from the stack. */
async function del(): Promise<void> {}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(
  args: OrgInviteAcceptanceInputs,
  invite: OrgInvite,
  adopted: boolean | undefined,
): OrgInviteAcceptanceOutputs {
  return {
    organizationId: args.organizationId,
    inviteId: invite.id,
    code: args.code,
    acceptedAt: isOrgInviteAccepted(invite) ? (invite.attributes.accepted_at ?? null) : null,
    acceptedByUserId: invite.relationships?.accepted_by_user?.data?.id ?? null,
    adopted: adopted ?? false,
  };
}

/** The OrgInviteAcceptance implementation. */
export const orgInviteAcceptance = implement<OrgInviteAcceptanceInputs, OrgInviteAcceptanceOutputs>({
  kind: "OrgInviteAcceptance",
  inputs,
  state,
  identity: { organizationId: "exact", inviteId: "exact", code: "exact" },
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
