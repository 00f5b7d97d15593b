/**
 * The provider object that `pulumi.dynamic.Resource` serializes into the stack's state.
 *
 * It captures nothing but the package name and the resource kind: no SDK objects, no credentials,
 * no absolute paths. Every call loads the implementation by package name at run time, resolved from
 * the Pulumi program's directory, so old state is always handled by the installed code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { KindProvider, ResourceKind } from "../provider";

const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/** The serializable provider shim for `kind` (one object per kind, so it is serialized once). */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (!shim) {
    shim = makeShim("pulumi-mode", kind);
    shims.set(kind, shim);
  }
  return shim;
}

function makeShim(pkg: string, kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const load = (): KindProvider => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded: { resourceProvider(kind: string): KindProvider } = require(`${pkg}/provider`);
    return loaded.resourceProvider(kind);
  };
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
