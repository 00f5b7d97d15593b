/**
 * The provider side of pulumi-mode: what runs inside the Pulumi dynamic-provider process.
 *
 * The SDK's serialized shim loads this module by package name (`require("pulumi-mode/provider")`,
 * cached by Node after the first call) each time the engine calls it, so resources created by an
 * older version of the package are read, diffed and deleted by the code installed now.
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { providerContext } from "./context";
import { SETTINGS } from "./settings";
import type { ResourceImplementation, ResourceKind } from "./resource";

export type { ResourceKind } from "./resource";
export { UNKNOWN } from "./inputs";

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Each kind's implementation, loaded on its first call: a stack that uses one kind does not load
 * (nor compile the input schemas of) the others in its provider process.
 */
const implementations: Record<ResourceKind, () => ResourceImplementation> = {
  WorkspaceInvite: () =>
    (require("./resources/workspace-invite") as typeof import("./resources/workspace-invite"))
      .workspaceInvite,
  WorkspaceMembership: () =>
    (require("./resources/workspace-membership") as typeof import("./resources/workspace-membership"))
      .workspaceMembership,
  SpaceMembership: () =>
    (require("./resources/space-membership") as typeof import("./resources/space-membership"))
      .spaceMembership,
  OrgInvite: () => (require("./resources/org-invite") as typeof import("./resources/org-invite")).orgInvite,
  OrgInviteAcceptance: () =>
    (require("./resources/org-invite-acceptance") as typeof import("./resources/org-invite-acceptance"))
      .orgInviteAcceptance,
  SpaceMembers: () =>
    (require("./resources/space-members") as typeof import("./resources/space-members")).spaceMembers,
  WorkspaceMembers: () =>
    (require("./resources/workspace-members") as typeof import("./resources/workspace-members"))
      .workspaceMembers,
  Group: () => (require("./resources/group") as typeof import("./resources/group")).group,
  GroupMembership: () =>
    (require("./resources/group-membership") as typeof import("./resources/group-membership"))
      .groupMembership,
  GroupMembers: () =>
    (require("./resources/group-members") as typeof import("./resources/group-members")).groupMembers,
  // Mode's access model: collections, and who may reach each collection and data source.
  CollectionPermission: () =>
    (require("./resources/collection-permission") as typeof import("./resources/collection-permission"))
      .collectionPermission,
  CollectionAccess: () =>
    (require("./resources/collection-access") as typeof import("./resources/collection-access"))
      .collectionAccess,
  DataSourcePermission: () =>
    (require("./resources/data-source-permission") as typeof import("./resources/data-source-permission"))
      .dataSourcePermission,
  Collection: () => (require("./resources/collection") as typeof import("./resources/collection")).collection,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The full dynamic provider for one resource kind: its implementation plus `configure`. */
export interface KindProvider extends ResourceImplementation {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
}

/** One provider object per kind (the serialized shim asks for it on every call). */
const providers = new Map<string, KindProvider>();

/** Returns the implementation of `kind`; throws a clear error for an unknown kind. */
export function resourceProvider(kind: string): KindProvider {
  let provider = providers.get(kind);
  if (!provider) {
    provider = makeProvider(kind);
    providers.set(kind, provider);
  }
  return provider;
}

/** Digest of the settings the provider context was last configured with. */
let configured: string | undefined;

/**
 * Configures the process's provider context, unless it already has these settings. The
 * dynamic-provider host configures each distinct provider text it meets (one per kind, plus the texts
 * older versions stored), with the one configuration of the process; configuring again would drop
 * the API clients and what their limiter learned of the server's rate in the middle of a run.
 */
async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const lookup = (key: string): string | undefined => req.config.get(key);
  const values = Object.values(SETTINGS).map((s) => lookup(s.configKey) ?? null);
  const digest = createHash("sha256").update(JSON.stringify(values)).digest("hex");
  if (digest === configured) return;
  providerContext().configure(lookup);
  configured = digest;
}

function makeProvider(kind: string): KindProvider {
  const load = (implementations as Record<string, (() => ResourceImplementation) | undefined>)[kind];
  if (!load) {
    throw new Error(
      `pulumi-mode has no resource kind ${JSON.stringify(kind)}; upgrade the pulumi-mode package.`,
    );
  }
  const implementation = load();
  return {
    configure,
    check: (olds, news) => implementation.check(olds ?? {}, news ?? {}),
    diff: (id, olds, news) => implementation.diff(id, olds, news),
    create: (inputs) => implementation.create(inputs),
    read: (id, props) => implementation.read(id, props),
    update: (id, olds, news) => implementation.update(id, olds, news),
    delete: (id, props) => implementation.delete(id, props),
  };
}
