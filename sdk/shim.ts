/**
 * The provider object that `pulumi.dynamic.Resource` serializes into the stack's state.
 *
 * It captures nothing but the provider module's name and the resource kind: no SDK objects, no
 * credentials, no absolute paths. Every call loads the implementation by package name at run time
 * (a cached `require`), resolved from the Pulumi program's directory, so old state is always handled
 * by the installed code.
 *
 * Its serialized text (`__provider`) travels with every resource: the program sends it, the engine
 * stores it in the inputs and outputs of each resource and passes it to every check, diff, create,
 * update and delete, and the dynamic-provider host decodes it from each request. So the shim is
 * kept small: short closures, no comments inside them, one loader.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { KindProvider, ResourceKind } from "../provider";

const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/** The serializable provider shim for `kind` (one object per kind, so it is serialized once). */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (!shim) {
    shim = makeShim("pulumi-mode/provider", kind);
    shims.set(kind, shim);
  }
  return shim;
}

/** What `require("pulumi-mode/provider")` returns, as far as the shim uses it. */
interface ProviderModule {
  resourceProvider(kind: string): KindProvider;
}

function makeShim(entry: string, kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const p = (): KindProvider => (require(entry) as ProviderModule).resourceProvider(kind);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    configure: (r) => p().configure(r),
    check: (o, n) => p().check(o, n),
    diff: (i, o, n) => p().diff(i, o, n),
    create: (n) => p().create(n),
    read: (i, o) => p().read(i, o),
    update: (i, o, n) => p().update(i, o, n),
    delete: (i, o) => p().delete(i, o),
  };
}
