import * as pulumi from "@pulumi/pulumi";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of an {@link OrgInvite}. Every argument identifies the invite: changing one replaces it. */
export interface OrgInviteArgs {
  /** The organization's id. */
  organizationId: pulumi.Input<string>;
  /** The recipient's email (trimmed, compared case-insensitively). */
  recipientEmail: pulumi.Input<string>;
  /** `admin` to invite the recipient as an administrator; omit for a regular member. */
  inviteUserAs?: pulumi.Input<"admin">;
}

/**
 * An invite into an organization, through the organization-invites API. A pending invite for the
 * same email (and role) is adopted instead of duplicated.
 *
 * Drift: a preview replaces the invite when it was deleted or cancelled in the product's UI. An
 * accepted invite is not drift. `code` is stored in the state as a secret.
 */
export class OrgInvite extends ModeResource {
  /** The organization's id. */
  declare public readonly organizationId: pulumi.Output<string>;
  /** The recipient's email. */
  declare public readonly recipientEmail: pulumi.Output<string>;
  /** `admin`, or null for a regular member. */
  declare public readonly inviteUserAs: pulumi.Output<"admin" | null>;
  /** The invite's id. */
  declare public readonly inviteId: pulumi.Output<string>;
  /** `pending`, `accepted` or `cancelled`. */
  declare public readonly status: pulumi.Output<"pending" | "accepted" | "cancelled">;
  /** When the invite was accepted (null while not accepted). */
  declare public readonly acceptedAt: pulumi.Output<string | null>;
  /** The id of the user who accepted, once accepted. */
  declare public readonly acceptedByUserId: pulumi.Output<string | null>;
  /** The id of the user who created the invite. */
  declare public readonly invitedByUserId: pulumi.Output<string | null>;
  /** When the invite was created. */
  declare public readonly createdAt: pulumi.Output<string>;
  /** The invite's acceptance code (a secret). */
  declare public readonly code: pulumi.Output<string>;

  /** True when the object already existed and was adopted rather than created by this stack. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: OrgInviteArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "OrgInvite",
      name,
      {
        organizationId: claimed(
          args.organizationId,
          `mode:OrgInvite "${name}"`,
          [args.organizationId, args.recipientEmail],
          ([org, email]) => ({
            key: ["organization", org, "invite", email.trim().toLowerCase()],
            object: `the invite of ${email.trim()} to organization ${org}`,
          }),
        ),
        recipientEmail: args.recipientEmail,
        inviteUserAs: args.inviteUserAs,
        inviteId: undefined,
        status: undefined,
        acceptedAt: undefined,
        acceptedByUserId: undefined,
        invitedByUserId: undefined,
        createdAt: undefined,
        code: undefined,
        adopted: undefined,
      },
      secretOutputs(opts, ["code"]),
    );
  }
}

/** `opts` with `keys` added to its additionalSecretOutputs. */
export function secretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  keys: string[],
): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...keys] };
}
