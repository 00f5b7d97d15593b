/**
 * Removals that cannot run away: the policy every authoritative resource (WorkspaceMembers,
 * SpaceMembers, GroupMembers, CollectionAccess) applies to what its plan would remove because the
 * program does not declare it. Two inputs, the same on every such resource:
 *
 * - `unmanaged: "remove" | "report"` (default `remove`). With `report`, nothing undeclared is
 *   removed: it is named on the preview's reason line and in the output `unmanaged`, which lists it,
 *   so a team can put a live workspace under the package before switching removal on.
 * - `maxRemovals` (an integer >= 0): a preview or `up` that would remove more than this fails
 *   before anything is sent, naming how many and who, and saying how to proceed.
 *
 * Deleting the resource itself (destroy, or dropping it from the program) is not an enforcement
 * removal and is not counted: the preview shows it as a `delete` step of its own, and what it
 * removes is at most what the program declared, never the undeclared.
 *
 * How to use it in an authoritative resource:
 * 1. Schemas: spread {@link removalInputProperties} into the resource's `inputProperties`, and
 *    `...removalStateProperties(<item schema>)` into the state schema's properties AFTER the inputs
 *    (NOT into its `required`: state written before the policy existed has neither). The input and
 *    the output share the name `unmanaged` (the issue that asked for them names both so): the state
 *    keeps the output (who) under `unmanaged` and the input (the mode) under `unmanagedMode`, which
 *    the resource declares with `storedAs: REMOVAL_STORED_AS`.
 * 2. Plan: compute what remove mode would remove (the undeclared), then
 *    `const { remove, unmanaged } = splitRemovals(inputs, undeclared)`; only `remove` is ever sent.
 * 3. diff (the resource's `drift`): first `checkRemovalLimit(inputs, names(remove), subject)` (it
 *    throws, so a plain `pulumi preview` fails); then an in-place update when there is anything to
 *    write, else an in-place update naming the output when
 *    `unmanagedChanged(olds.<output>, live, key)` (no API write: the update refreshes the output),
 *    else no change. Build the reason line's part for the unmanaged with {@link describeUnmanaged}
 *    and show it (`providerContext().reportOnce`) even when nothing changes.
 * 4. create and update: call `checkRemovalLimit` again right before the first write (a create
 *    runs no diff); return `...storedPolicy(inputs)` (the inputs that are set, as the state keeps
 *    them) and the unmanaged in the output `unmanaged` ([] in remove mode). A create shows the
 *    unmanaged line itself (no diff ran). `read` (refresh) recomputes the output from the listing;
 *    plans made from stored state take the policy from {@link policyOf}.
 * 5. delete: not counted, whatever `maxRemovals` says (see above).
 *
 * WorkspaceMembers and SpaceMembers (provider/resources/) are the worked examples.
 */

// ---- inputs --------------------------------------------------------------------------------------

/** What an authoritative resource does with what the program does not declare. */
export const UNMANAGED_MODES = ["remove", "report"] as const;

/** `remove` (the default) or `report`. */
export type UnmanagedMode = (typeof UNMANAGED_MODES)[number];

/** The two inputs, as JSON Schema fragments to spread into a resource's `inputProperties`. */
export const removalInputProperties = {
  unmanaged: {
    type: "string",
    enum: UNMANAGED_MODES,
    description:
      "What `up` does with what the program does not declare: `remove` (the default) removes it; " +
      "`report` never removes it, names it on the preview's line and in the output listing the " +
      "unmanaged. Use `report` to put a live workspace under management, then switch to `remove`.",
  },
  maxRemovals: {
    type: "integer",
    minimum: 0,
    description:
      "The most `up` may remove in one run. A preview or `up` that would remove more fails before " +
      "anything is sent, naming how many and who. Deleting the resource itself is not counted.",
  },
} as const;

/** The policy as the inputs declare it (both optional). */
export interface RemovalPolicy {
  readonly unmanaged?: UnmanagedMode;
  readonly maxRemovals?: number;
}

/** The policy as the state keeps it: the mode under `unmanagedMode` (the output `unmanaged` lists who). */
export interface StoredPolicy {
  readonly unmanagedMode?: UnmanagedMode;
  readonly maxRemovals?: number;
}

/** Where the state keeps the `unmanaged` input: a resource's `storedAs` declaration. */
export const REMOVAL_STORED_AS = { unmanaged: "unmanagedMode" } as const;

/** The policy inputs that are set, as the state keeps them (no key for an unset one). */
export function storedPolicy(inputs: RemovalPolicy): StoredPolicy {
  return {
    ...(inputs.unmanaged === undefined ? {} : { unmanagedMode: inputs.unmanaged }),
    ...(inputs.maxRemovals === undefined ? {} : { maxRemovals: inputs.maxRemovals }),
  };
}

/** The policy of stored state (for plans made by `read`). */
export function policyOf(state: StoredPolicy): RemovalPolicy {
  return {
    ...(state.unmanagedMode === undefined ? {} : { unmanaged: state.unmanagedMode }),
    ...(state.maxRemovals === undefined ? {} : { maxRemovals: state.maxRemovals }),
  };
}

// ---- outputs -------------------------------------------------------------------------------------

/**
 * The state's policy properties, to spread into the state schema after the inputs: the output
 * `unmanaged` (who, with `items` in the shape the resource already uses for who it manages) and
 * `unmanagedMode` (the `unmanaged` input as declared). Keep both out of the state's `required`.
 */
export function removalStateProperties<const S extends object>(items: S) {
  return {
    unmanaged: {
      type: "array",
      items,
      description:
        "What the program does not declare and the last run kept because the `unmanaged` argument is " +
        "`report` (empty with `remove`). A preview that finds it changed shows an update that writes nothing.",
    },
    unmanagedMode: {
      ...removalInputProperties.unmanaged,
      description: "The `unmanaged` argument as declared (`remove` when unset).",
    },
  } as const;
}

// ---- the plan ------------------------------------------------------------------------------------

/** What the policy makes of a plan's undeclared items. */
export interface Removals<T> {
  /** What `up` removes (empty with `report`). */
  readonly remove: T[];
  /** What stays although undeclared, and is reported (empty with `remove`). */
  readonly unmanaged: T[];
}

/** Splits what the program does not declare into what is removed and what is only reported. */
export function splitRemovals<T>(policy: RemovalPolicy, undeclared: readonly T[]): Removals<T> {
  return policy.unmanaged === "report"
    ? { remove: [], unmanaged: [...undeclared] }
    : { remove: [...undeclared], unmanaged: [] };
}

/**
 * True when the unmanaged found live differ from the stored output (compared as sets by `key`;
 * a missing output, from state written before the policy existed, is an empty one).
 */
export function unmanagedChanged<T>(
  stored: readonly T[] | undefined,
  live: readonly T[],
  key: (item: T) => string,
): boolean {
  const before = new Set((stored ?? []).map(key));
  const now = new Set(live.map(key));
  return before.size !== now.size || [...now].some((k) => !before.has(k));
}

// ---- words ---------------------------------------------------------------------------------------

/** How a resource calls what it removes: `member`/`members`, `grant`/`grants`. */
export interface Noun {
  readonly one: string;
  readonly many: string;
}

/** The noun of the member lists (WorkspaceMembers, SpaceMembers, GroupMembers). */
export const MEMBERS: Noun = { one: "member", many: "members" };

/** What a removal is counted in, by what the API knows: `workspace acme`, `space s1 of acme`. */
export interface RemovalSubject {
  readonly where: string;
  readonly noun: Noun;
}

/** At most this many are named per list on a reason line; the rest are counted. */
export const NAMED_ON_LINE = 10;

/** At most this many are named by the maxRemovals error. */
export const NAMED_BY_LIMIT = 20;

/** `a, b, c` or, past `limit`, `a, b and 3 more`. */
export function listNames(names: readonly string[], limit: number = NAMED_ON_LINE): string {
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit ? `${shown} and ${String(names.length - limit)} more` : shown;
}

/** `1 member`, `3 members`. */
export function counted(count: number, noun: Noun): string {
  return `${String(count)} ${count === 1 ? noun.one : noun.many}`;
}

/**
 * The reason line's part for the unmanaged, e.g. `2 members are not in the program — kept,
 * unmanaged is report: carol, dave (pending invite)`. `names` describe them as the resource's line
 * describes people.
 */
export function describeUnmanaged(names: readonly string[], noun: Noun): string {
  const verb = names.length === 1 ? "is" : "are";
  return `${counted(names.length, noun)} ${verb} not in the program — kept, unmanaged is report: ${listNames(names)}`;
}

// ---- the limit -----------------------------------------------------------------------------------

/**
 * The refusal of a run that would remove more than `maxRemovals`. The engine shows its message as
 * the resource's error. A refusal is not a crash: the dynamic-provider host also prints
 * `${error}: ${error.stack}` for an error thrown by diff (under the stack's diagnostics), so it
 * prints as one line, `Stopped by maxRemovals: <message>`, without frames or paths.
 */
export class RemovalLimitError extends Error {
  override readonly name = "RemovalLimitError";

  constructor(
    message: string,
    /** How many the run would remove. */
    readonly count: number,
    /** The limit it exceeds. */
    readonly limit: number,
  ) {
    super(message);
    this.stack = message;
  }

  override toString(): string {
    return "Stopped by maxRemovals";
  }
}

/**
 * The check failure of a limit that `check` (`inspectCreate` of a new resource) found exceeded, or
 * undefined when `limit` passes; any other error propagates.
 */
export function removalRefusal(limit: () => void): { property: "maxRemovals"; reason: string } | undefined {
  try {
    limit();
    return undefined;
  } catch (err) {
    if (err instanceof RemovalLimitError) return { property: "maxRemovals", reason: err.message };
    throw err;
  }
}

/**
 * Throws a {@link RemovalLimitError} when `removals` (each described as the resource names it on
 * its line) are more than the policy's `maxRemovals`; exactly the limit passes. Call it in diff and
 * again in create/update before the first write.
 */
export function checkRemovalLimit(
  policy: RemovalPolicy,
  removals: readonly string[],
  subject: RemovalSubject,
): void {
  const limit = policy.maxRemovals;
  if (limit === undefined || removals.length <= limit) return;
  const count = removals.length;
  throw new RemovalLimitError(
    `${subject.where}: up would remove ${counted(count, subject.noun)}, more than maxRemovals ` +
      `(${String(limit)}): ${listNames(removals, NAMED_BY_LIMIT)}. Nothing was changed in ${subject.where}. ` +
      `To proceed: raise maxRemovals to ${String(count)} for this change, or set unmanaged: "report" ` +
      `to keep what the program does not declare without removing it, or declare the ${subject.noun.many} to keep.`,
    count,
    limit,
  );
}
