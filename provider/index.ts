/**
 * The provider side of pulumi-mode: what runs inside the Pulumi dynamic-provider process.
 *
 * The SDK's serialized shim loads this module by package name (`require("pulumi-mode/provider")`)
 * each time the engine calls it, so resources created by an older version of the package are read,
 * diffed and deleted by the code installed now.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerContext } from "./context";
import type { PropertyBag } from "./inputs";
import type { ResourceImplementation, ResourceKind } from "./resource";
import { orgInvite } from "./resources/org-invite";
import { orgInviteAcceptance } from "./resources/org-invite-acceptance";
import { spaceMembership } from "./resources/space-membership";
import { workspaceInvite } from "./resources/workspace-invite";

export type { ResourceKind } from "./resource";
export { UNKNOWN } from "./inputs";

const implementations: Record<ResourceKind, ResourceImplementation> = {
  WorkspaceInvite: workspaceInvite,
  SpaceMembership: spaceMembership,
  OrgInvite: orgInvite,
  OrgInviteAcceptance: orgInviteAcceptance,
};

/** The full dynamic provider (including `configure`) for one resource kind. */
export interface KindProvider {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: PropertyBag): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: PropertyBag): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: PropertyBag): Promise<void>;
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
