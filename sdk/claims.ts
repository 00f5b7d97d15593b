/**
 * One owner per remote object. Resources that adopt what already exists must never adopt the same
 * object twice: both would report it as theirs, and destroying either would remove it for both. The
 * program sees every resource of the stack, so this is where a second claim is refused, in preview
 * and up alike, before anything is sent.
 *
 * A claim is a path of keys, e.g. `space/acme/s1/User/u1`. Two claims conflict when they are equal
 * or one is a prefix of the other: a resource that manages a whole space (`space/acme/s1`) conflicts
 * with any resource that manages one member of it.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLAIM_CONFLICT } from "../provider/rules";

/** What a resource claims: the object's key path, and how to name the object to a user. */
export interface Claim {
  /**
   * Key path segments, from the broadest (`space`, account, space) to the narrowest. Values that
   * compare case-insensitively (emails, usernames) are given in lower case.
   */
  readonly key: readonly string[];
  /** The object as a user knows it, e.g. `user u1 in space s1 of acme`. */
  readonly object: string;
}

interface Owner {
  readonly resource: string;
  readonly object: string;
}

/** Claims per run of the program (an Automation API process runs the program several times). */
const runs = new WeakMap<object, Map<string, Owner>>();
const outsideRuns = new Map<string, Owner>();

function claimsOfThisRun(): Map<string, Owner> {
  const stack: object | undefined = pulumi.runtime.getStackResource();
  if (!stack) return outsideRuns;
  let claims = runs.get(stack);
  if (!claims) {
    claims = new Map();
    runs.set(stack, claims);
  }
  return claims;
}

/**
 * Registers `resource`'s claim and returns `input`. When every part is a plain value the claim is
 * checked at once, so a conflict stops the program in the resource's constructor. Parts that are
 * outputs are checked when they resolve; a conflict then replaces `input` by the conflict's message
 * (marked with {@link CLAIM_CONFLICT}), which the provider's `check` reports as the resource's
 * failure: the resource fails in preview and up, before anything is sent, without failing the
 * program's promises (which the SDK is slow to report). Unknown parts claim nothing.
 */
export function claimed<T>(
  input: pulumi.Input<T>,
  resource: string,
  parts: pulumi.Input<string>[],
  identify: (parts: string[]) => Claim,
): pulumi.Input<T> {
  if (parts.every((part): part is string => typeof part === "string")) {
    register(resource, identify(parts));
    return input;
  }
  const conflict = pulumi.all(parts).apply((values): string | undefined => {
    try {
      register(resource, identify(values));
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  });
  return pulumi
    .all([input, conflict])
    .apply(([value, message]) =>
      message === undefined ? value : `${CLAIM_CONFLICT}${message}`,
    ) as pulumi.Output<T>;
}

/**
 * Per map of claims: every prefix of a held key that ends before a `/` (e.g. `space/acme/s1` of
 * `space/acme/s1/User/u1`), with the owner of the first held key below it. With it a claim is
 * checked in a few lookups instead of a walk over every claim (quadratic in a program's resources).
 */
const heldBelow = new WeakMap<Map<string, Owner>, Map<string, Owner>>();

/** Records a claim; throws when another resource of this run holds an overlapping one. */
export function register(resource: string, claim: Claim, claims = claimsOfThisRun()): void {
  const key = claim.key.join("/");
  const same = claims.get(key);
  if (same?.resource === resource) return;
  let below = heldBelow.get(claims);
  if (!below) {
    below = new Map();
    heldBelow.set(claims, below);
  }
  // Overlapping: the same key, a held key this one is below, or a held key below this one.
  let owner = same;
  for (let i = key.indexOf("/"); !owner && i >= 0; i = key.indexOf("/", i + 1))
    owner = claims.get(key.slice(0, i));
  owner ??= below.get(key);
  if (owner) {
    // A RunError ends the program with this message alone (no stack trace, no program text).
    throw new pulumi.RunError(
      `${resource} would manage ${claim.object}, but ${owner.resource} already manages ${owner.object}: ` +
        "two resources managing one object would fight over it, and destroying either would remove it for both. " +
        "Declare it in one resource only.",
    );
  }
  const mine = { resource, object: claim.object };
  claims.set(key, mine);
  for (let i = key.indexOf("/"); i >= 0; i = key.indexOf("/", i + 1)) {
    const above = key.slice(0, i);
    if (!below.has(above)) below.set(above, mine);
  }
}

/**
 * The claim of one accessor's grant on a target (a collection, a data source): the accessor part
 * of the key path and its words, e.g. `["Account", "ada"]` and `ada`, or `["UserGroup", "g1"]` and
 * `group g1`. `isMember` says which input named the accessor (`username` rather than `group`).
 */
export function accessorClaim(isMember: boolean, value: string): { key: string[]; words: string } {
  return isMember
    ? { key: ["Account", value.trim().toLowerCase()], words: value.trim() }
    : { key: ["UserGroup", value.trim()], words: `group ${value.trim()}` };
}
