/**
 * What every resource implementation provides, and the diff arithmetic they share.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown, type PropertyBag } from "./inputs";

/** The resource kinds this package implements. */
export type ResourceKind = "WorkspaceInvite" | "SpaceMembership" | "OrgInvite" | "OrgInviteAcceptance";

/** One resource's check/diff/create/read/update/delete, as the dynamic-provider host calls them. */
export interface ResourceImplementation {
  check(olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: PropertyBag): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: PropertyBag): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: PropertyBag, news: PropertyBag): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: PropertyBag): Promise<void>;
}

/** How a property compares between the stored state and the new inputs. */
export type Comparison = "exact" | "caseInsensitive";

/** A field that identifies the remote object: a change to it means a new object (replace). */
export interface IdentityField {
  readonly name: string;
  readonly compare: Comparison;
}

/** The outcome of comparing inputs, before any drift detection. */
export interface InputChanges {
  /** Identity fields whose value changed (or became unknown): the resource must be replaced. */
  readonly replaces: string[];
  /** Other fields whose value changed (or became unknown): an in-place update. */
  readonly updates: string[];
  /** True when some compared input is unknown (preview): no request may be sent. */
  readonly hasUnknowns: boolean;
}

/** Compares stored properties with new inputs field by field. Unknown new values count as changes. */
export function compareInputs(
  olds: PropertyBag,
  news: PropertyBag,
  identity: readonly IdentityField[],
  updatable: readonly IdentityField[] = [],
): InputChanges {
  const replaces: string[] = [];
  const updates: string[] = [];
  let hasUnknowns = false;
  const visit = (fields: readonly IdentityField[], into: string[]): void => {
    for (const field of fields) {
      const next = news[field.name];
      if (isUnknown(next)) {
        hasUnknowns = true;
        into.push(field.name);
      } else if (!same(olds[field.name], next, field.compare)) {
        into.push(field.name);
      }
    }
  };
  visit(identity, replaces);
  visit(updatable, updates);
  return { replaces, updates, hasUnknowns };
}

/** Equality of two property values under a comparison (absent, null and "" are all "unset"). */
export function same(a: unknown, b: unknown, compare: Comparison): boolean {
  const unset = (v: unknown): boolean => v === undefined || v === null || v === "";
  if (unset(a) && unset(b)) return true;
  if (typeof a === "string" && typeof b === "string" && compare === "caseInsensitive") {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  }
  return a === b;
}

/** A plain string property of a property bag ("" when absent or not a string). */
export function str(props: PropertyBag, key: string): string {
  const value = props[key];
  return typeof value === "string" ? value : "";
}

/** The diff result for a set of input changes plus an optional drift finding. */
export function diffResult(
  changes: InputChanges,
  drift: string | undefined,
  deleteBeforeReplace: boolean,
): pulumi.dynamic.DiffResult {
  const replaces = [...changes.replaces];
  if (drift && !replaces.includes(drift)) replaces.push(drift);
  const changed = replaces.length > 0 || changes.updates.length > 0;
  return {
    changes: changed,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && deleteBeforeReplace,
  };
}

/** The read result for an object that no longer exists: the engine drops it from the stack. */
export const GONE: pulumi.dynamic.ReadResult = { id: "" };

/** Picks `keys` out of `props` (the inputs a `read` hands back to the engine). */
export function pick(props: PropertyBag, keys: readonly string[]): PropertyBag {
  const result: PropertyBag = {};
  for (const key of keys) if (props[key] !== undefined) result[key] = props[key];
  return result;
}
