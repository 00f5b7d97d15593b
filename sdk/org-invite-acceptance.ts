import * as pulumi from "@pulumi/pulumi";
import { secretOutputs } from "./org-invite";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of an {@link OrgInviteAcceptance}. Every argument identifies it: changing one replaces it. */
export interface OrgInviteAcceptanceArgs {
  /** The organization's id. */
  organizationId: pulumi.Input<string>;
  /** The id of the invite to accept (usually `invite.inviteId`). */
  inviteId: pulumi.Input<string>;
  /** The invite's code (usually `invite.code`); always stored as a secret. */
  code: pulumi.Input<string>;
}

/**
 * Accepts an organization invite with its code. If the invite is already accepted (for example
 * by an earlier attempt whose response was lost), that acceptance is adopted.
 *
 * Drift: a preview replaces the acceptance when its invite is gone. Acceptance cannot be undone
 * through the API, so deleting only removes it from the stack.
 */
export class OrgInviteAcceptance extends ModeResource {
  /** The organization's id. */
  declare public readonly organizationId: pulumi.Output<string>;
  /** The accepted invite's id. */
  declare public readonly inviteId: pulumi.Output<string>;
  /** The invite's code (a secret). */
  declare public readonly code: pulumi.Output<string>;
  /** When the invite was accepted. */
  declare public readonly acceptedAt: pulumi.Output<string | null>;
  /** The id of the user who accepted. */
  declare public readonly acceptedByUserId: pulumi.Output<string | null>;

  /** True when the object already existed and was adopted rather than created by this stack. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: OrgInviteAcceptanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "OrgInviteAcceptance",
      name,
      {
        organizationId: claimed(
          args.organizationId,
          `mode:OrgInviteAcceptance "${name}"`,
          [args.organizationId, args.inviteId],
          ([org, invite]) => ({
            key: ["organization", org, "acceptance", invite],
            object: `the acceptance of invite ${invite} in organization ${org}`,
          }),
        ),
        inviteId: args.inviteId,
        code: pulumi.secret(args.code),
        acceptedAt: undefined,
        acceptedByUserId: undefined,
        adopted: undefined,
      },
      secretOutputs(opts, ["code"]),
    );
  }
}
