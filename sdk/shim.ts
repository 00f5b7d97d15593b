/**
 * What every pulumi-mode resource stores as its provider, and the base class that stores it.
 *
 * A Pulumi dynamic resource is a custom resource of type `pulumi-nodejs:dynamic/<module>:<type>`
 * whose `__provider` property holds the text of a CommonJS module: the engine's dynamic-provider
 * host evaluates that text (`require-from-string`) and calls its `handler()` to get the provider
 * object, once per distinct text and process. `pulumi.dynamic.Resource` writes that text by
 * serializing a provider closure (about 2,100 characters for a shim of seven methods, more for
 * real code); pulumi-mode writes it by hand instead:
 *
 *     exports.handler=()=>require('pulumi-mode/provider').resourceProvider('SpaceMembership')
 *
 * It captures nothing but the package's provider entry and the resource kind: no SDK objects, no
 * credentials, no absolute paths. The implementation is loaded by package name when the host first
 * needs it, resolved from the Pulumi program's directory, so old state is always handled by the
 * installed code. Texts written by earlier versions (serialized closures that call the same
 * `require("pulumi-mode/provider").resourceProvider(kind)`) keep working.
 *
 * The text travels with every resource: the engine stores it in the inputs and the outputs of each
 * one, passes it in every check, diff, create, update and delete, and rewrites it with the whole
 * checkpoint after every step. At 88 to 92 characters it is about 4 % of what the closure was.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";

/** The module the provider text requires (the package's `exports["./provider"]`). */
const PROVIDER_ENTRY = "pulumi-mode/provider";

/** The `__provider` text of `kind`'s resources. */
export function providerText(kind: ResourceKind): string {
  // Kinds are identifiers, so single quotes need no escaping (and none in the state's JSON).
  if (!/^[A-Za-z]+$/.test(kind)) throw new Error(`not a resource kind: ${JSON.stringify(kind)}`);
  return `exports.handler=()=>require('${PROVIDER_ENTRY}').resourceProvider('${kind}')`;
}

/**
 * The base of every pulumi-mode resource: a dynamic resource of type
 * `pulumi-nodejs:dynamic/mode:<kind>` (what `pulumi.dynamic.Resource` registers, so the engine and
 * its dynamic-provider host treat it the same), with {@link providerText} as its provider.
 */
export abstract class ModeResource extends pulumi.CustomResource {
  /**
   * Registers the resource. While the SDK's constructor runs, `Error.stackTraceLimit` is 0: the SDK
   * records a stack trace (source-mapped by `source-map-support`) for each of the four promises of
   * every property it creates, which only a report of leaked promises at exit ever shows. That cost
   * 3.3 of the program's 4.3 CPU seconds of constructors at 1,000 resources. The resource's own
   * source position is recorded unchanged (the SDK lifts the limit for it).
   */
  protected constructor(
    kind: ResourceKind,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`pulumi-nodejs:dynamic/mode:${kind}`, name, { ...props, __provider: providerText(kind) }, opts);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
