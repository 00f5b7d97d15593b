/**
 * The provider side of pulumi-mode: what runs inside the Pulumi dynamic-provider process.
 *
 * The SDK's serialized shim loads this module by package name (`require("pulumi-mode/provider")`)
 * each time the engine calls it, so resources created by an older version of the package are read,
 * diffed and deleted by the code installed now.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerContext } from "./context";
import type { ResourceImplementation, ResourceKind } from "./resource";
import { orgInvite } from "./resources/org-invite";
import { orgInviteAcceptance } from "./resources/org-invite-acceptance";
import { spaceMembers } from "./resources/space-members";
import { spaceMembership } from "./resources/space-membership";
import { workspaceInvite } from "./resources/workspace-invite";
import { workspaceMembers } from "./resources/workspace-members";
import { workspaceMembership } from "./resources/workspace-membership";

export type { ResourceKind } from "./resource";
export { UNKNOWN } from "./inputs";

const implementations: Record<ResourceKind, ResourceImplementation> = {
  WorkspaceInvite: workspaceInvite,
  WorkspaceMembership: workspaceMembership,
  SpaceMembership: spaceMembership,
  OrgInvite: orgInvite,
  OrgInviteAcceptance: orgInviteAcceptance,
  SpaceMembers: spaceMembers,
  WorkspaceMembers: workspaceMembers,
};

/** The full dynamic provider for one resource kind: its implementation plus `configure`. */
export interface KindProvider extends ResourceImplementation {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
}

/** Returns the implementation of `kind`; throws a clear error for an unknown kind. */
export function resourceProvider(kind: string): KindProvider {
  const implementation = (implementations as Record<string, ResourceImplementation | undefined>)[kind];
  if (!implementation) {
    throw new Error(
      `pulumi-mode has no resource kind ${JSON.stringify(kind)}; upgrade the pulumi-mode package.`,
    );
  }
  return {
    configure: async (req) => providerContext().configure((key) => req.config.get(key)),
    check: (olds, news) => implementation.check(olds ?? {}, news ?? {}),
    diff: (id, olds, news) => implementation.diff(id, olds, news),
    create: (inputs) => implementation.create(inputs),
    read: (id, props) => implementation.read(id, props),
    update: (id, olds, news) => implementation.update(id, olds, news),
    delete: (id, props) => implementation.delete(id, props),
  };
}
