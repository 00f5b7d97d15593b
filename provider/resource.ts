/**
 * The resource core: what every resource declares, and the one adapter that turns a declaration
 * into the check/diff/create/read/update/delete the dynamic-provider host calls. Property bags stop
 * here: inputs and state are validated and narrowed to the types derived from each resource's
 * schemas, so a resource file only ever handles typed values.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerContext } from "./context";
import { containsUnknown, type ObjectSchema, type ObjectSchemaSource, type PropertyBag } from "./inputs";
import { CLAIM_CONFLICT } from "./rules";

/** The resource kinds this package implements. */
export type ResourceKind =
  | "WorkspaceInvite"
  | "WorkspaceMembership"
  | "SpaceMembership"
  | "OrgInvite"
  | "OrgInviteAcceptance"
  | "SpaceMembers"
  | "WorkspaceMembers"
  | "Group"
  | "GroupMembership"
  | "GroupMembers"
  // Mode's access model: collections, and who may reach each collection and data source.
  | "CollectionPermission"
  | "CollectionAccess"
  | "DataSourcePermission"
  | "Collection";

/** One resource's check/diff/create/read/update/delete, as the dynamic-provider host calls them. */
export interface ResourceImplementation {
  check(olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: PropertyBag): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: PropertyBag): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: PropertyBag): Promise<void>;
}

/** How an input compares between the stored state and the new inputs. */
export type Comparison = "exact" | "caseInsensitive";

/** What changed on the server since the last `up`, found by `diff`. */
export interface Drift<O> {
  /** The output that no longer holds (shown as the replace reason). */
  readonly property: keyof O & string;
  /**
   * One line for the reviewer: the object by what the API knows (never a secret), what changed on
   * the server and what `pulumi up` will do, e.g. `grace@example.com in acme: the invite expired
   * unaccepted on 2026-11-30 — up sends a new invite`. The kind is prefixed by the core.
   */
  readonly reason: string;
  /**
   * The drift is repaired by an in-place update (`update` brings the server back to the inputs)
   * instead of a replace; `property` then only names what differs.
   */
  readonly inPlace?: true;
}

/** Why `check` refuses inputs: the input to blame and a reason that says what to do. */
export interface CheckRefusal<I> {
  readonly property: keyof I & string;
  readonly reason: string;
}

/** A state type that holds (possibly nullable) values for every input of `I`. */
export type InputsOf<I> = { [K in keyof I]?: unknown };

/** A created or read object: its id and every output. */
export interface Created<O> {
  readonly id: string;
  readonly outs: O;
}

/**
 * Everything a resource declares. `I` is its inputs type and `O` its outputs (state) type, both
 * derived from the resource's schemas; the outputs repeat every input.
 */
export interface ResourceDefinition<I extends object, O extends InputsOf<I>> {
  /** The resource kind, e.g. `WorkspaceInvite`. */
  readonly kind: ResourceKind;
  /** The inputs' schema (check and create/update). */
  readonly inputs: ObjectSchema<I>;
  /** The state's schema (what diff/read/update/delete get back from the engine). */
  readonly state: ObjectSchema<O>;
  /** Inputs that identify the remote object (a change replaces it), with how they compare. */
  readonly identity: { readonly [K in keyof I]?: Comparison };
  /**
   * How the other inputs compare (default `exact`; a difference updates in place), e.g.
   * `{ usernames: "caseInsensitive" }` when a change of case alone is no change.
   */
  readonly compare?: { readonly [K in keyof I]?: Comparison };
  /**
   * Where the state keeps an input whose own name an output holds (the state repeats every input
   * under its name, except these): e.g. `{ unmanaged: "unmanagedMode" }` when the output `unmanaged`
   * lists people while the input `unmanaged` is a mode.
   */
  readonly storedAs?: { readonly [K in keyof I]?: keyof O & string };
  /** Fills in defaults after `check` validated the inputs (values may still be unknown). */
  defaults?(inputs: PropertyBag): void;
  /**
   * Rules across inputs, or across the items of a list, that one property's schema cannot state
   * (exactly one of `username` or `group`; each accessor at most once). Called by `check` once every
   * property passed its schema; values may be the unknown placeholder (an unknown counts as given, and
   * what it hides is checked when known). Returns the first refusal, or undefined.
   */
  validate?(inputs: PropertyBag): CheckRefusal<I> | undefined;
  /**
   * Whether a replacement must delete the old object first (the API refuses a duplicate).
   * `news` may hold unknowns during preview.
   */
  deleteBeforeReplace(olds: O, news: PropertyBag): boolean;
  /**
   * Reads the live object (read-only) and says what drifted, if anything. `news` are the new
   * inputs (known: drift is only asked for when no input is unknown and nothing is replaced).
   */
  drift(olds: O, news: I): Promise<Drift<O> | undefined>;
  /**
   * A preview runs no diff for a new resource, so a create that changes what exists (an
   * authoritative list removing the undeclared) would show as a bare `+ create`. When declared, this
   * looks (read-only) at what creating the resource would change, before anything is sent: it
   * reports that on a reason line (`reportOnce`; the create's own report repeats the same line, so
   * it shows once) and returns a check failure when a rule forbids the create (e.g. `maxRemovals`).
   * The core calls it from `check` for a new resource whose inputs are all known; a failure to read
   * the API there is a warning, never the preview's failure (the create reports it if it persists).
   */
  inspectCreate?(inputs: I): Promise<CheckRefusal<I> | undefined>;
  create(inputs: I): Promise<Created<O>>;
  /** The live object, or undefined when it is gone. */
  read(id: string, olds: O): Promise<Created<O> | undefined>;
  /** Applies changes of non-identity inputs; returns every output. */
  update(id: string, olds: O, news: I): Promise<O>;
  delete(id: string, olds: O): Promise<void>;
}

/**
 * A resource's shape as tools read it (the docs generator, the SDK shape test): its kind, its input
 * and state schemas and which inputs identify the object. Nothing the host calls.
 */
export interface ResourceDeclaration {
  readonly kind: ResourceKind;
  readonly inputs: ObjectSchemaSource;
  readonly state: ObjectSchemaSource;
  readonly identity: Readonly<Partial<Record<string, Comparison>>>;
  /** Inputs the state keeps under another key, because an output has their name (see `storedAs`). */
  readonly storedAs: Readonly<Partial<Record<string, string>>>;
}

/** What {@link implement} returns: the implementation, with the declaration it was made from. */
export interface DeclaredImplementation extends ResourceImplementation {
  readonly declaration: ResourceDeclaration;
}

/** Turns a declaration into the implementation the dynamic-provider host calls. */
export function implement<I extends object, O extends InputsOf<I>>(
  definition: ResourceDefinition<I, O>,
): DeclaredImplementation {
  const d = definition;
  const inputKeys = d.inputs.keys;
  return {
    declaration: {
      kind: d.kind,
      inputs: d.inputs.source,
      state: d.state.source,
      identity: d.identity,
      storedAs: d.storedAs ?? {},
    },

    async check(olds, news) {
      const conflicts = claimConflicts(news);
      if (conflicts.length > 0) return { inputs: news, failures: conflicts };
      const result = d.inputs.check(news);
      const invalid = result.failures.length > 0 ? undefined : d.validate?.(result.inputs);
      if (invalid) return { inputs: result.inputs, failures: [invalid] };
      d.defaults?.(result.inputs);
      if (!d.inspectCreate || result.failures.length > 0 || !isNew(olds, inputKeys)) return result;
      if (inputKeys.some((key) => containsUnknown(result.inputs[key]))) return result;
      try {
        const refusal = await d.inspectCreate(d.inputs.parse(result.inputs));
        if (refusal) return { inputs: result.inputs, failures: [refusal] };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        providerContext().reportOnce(`mode:${d.kind} could not look at what creating it changes: ${why}`);
      }
      return result;
    },

    async diff(_id, oldsBag, news) {
      const olds = d.state.parse(oldsBag);
      const replaces: string[] = [];
      const updates: string[] = [];
      let unknown = false;
      for (const key of inputKeys) {
        const next = news[key];
        const identity = d.identity[key];
        const compare = identity ?? d.compare?.[key] ?? "exact";
        const changed = containsUnknown(next) || !same(stored(olds, d.storedAs?.[key] ?? key), next, compare);
        unknown ||= containsUnknown(next);
        if (changed) (identity ? replaces : updates).push(key);
      }
      if (!unknown && replaces.length === 0) {
        // Only a known, unchanged identity can be looked up on the server (read-only).
        const drift = await d.drift(olds, d.inputs.parse(news));
        if (drift) {
          providerContext().reportOnce(`mode:${d.kind} ${drift.reason}`);
          (drift.inPlace ? updates : replaces).push(drift.property);
        }
      }
      return {
        changes: replaces.length > 0 || updates.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && d.deleteBeforeReplace(olds, news),
      };
    },

    async create(inputs) {
      const created = await d.create(d.inputs.parse(inputs));
      return { id: created.id, outs: created.outs };
    },

    async read(id, props) {
      const live = await d.read(id, d.state.parse(props));
      if (!live) return { id: "" };
      return { id: live.id, props: live.outs, inputs: pick(live.outs, inputKeys, d.storedAs ?? {}) };
    },

    async update(id, olds, news) {
      return { outs: await d.update(id, d.state.parse(olds), d.inputs.parse(news)) };
    },

    async delete(id, props) {
      await d.delete(id, d.state.parse(props));
    },
  };
}

/**
 * Equality of two values under a comparison (absent, null, "" and [] are all "unset"). Lists are
 * sets: the same elements in any order, repeated or not, are the same list.
 */
export function same(a: unknown, b: unknown, compare: Comparison): boolean {
  const unset = (v: unknown): boolean =>
    v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  if (unset(a) && unset(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (v: unknown): string =>
      typeof v === "string" && compare === "caseInsensitive" ? v.trim().toLowerCase() : canonicalJson(v);
    const left = new Set(a.map(key));
    const right = new Set(b.map(key));
    return left.size === right.size && [...left].every((k) => right.has(k));
  }
  if (typeof a === "string" && typeof b === "string" && compare === "caseInsensitive") {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  }
  return a === b;
}

/**
 * JSON text with object keys sorted, so two objects with the same fields compare equal whatever the
 * order the engine delivered their keys in (list elements that are objects, e.g. grants).
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The inputs the program replaced by a claim conflict, as check failures carrying its message. */
function claimConflicts(news: PropertyBag): pulumi.dynamic.CheckFailure[] {
  return Object.entries(news)
    .filter(
      (entry): entry is [string, string] =>
        typeof entry[1] === "string" && entry[1].startsWith(CLAIM_CONFLICT),
    )
    .map(([property, value]) => ({ property, reason: value.slice(CLAIM_CONFLICT.length) }));
}

/** True when `olds` (the inputs `check` got from the engine) hold no input: the resource is new. */
function isNew(olds: PropertyBag, keys: readonly string[]): boolean {
  return keys.every((key) => olds[key] === undefined || olds[key] === null);
}

/** The stored value of one input. */
function stored(olds: object, key: string): unknown {
  return (olds as PropertyBag)[key];
}

/** The inputs part of the outputs (what `read` hands back to the engine as inputs). */
function pick(
  outs: object,
  keys: readonly string[],
  storedAs: { readonly [key: string]: string | undefined },
): PropertyBag {
  const result: PropertyBag = {};
  for (const key of keys) {
    const value = stored(outs, storedAs[key] ?? key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}
