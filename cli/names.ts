/**
 * Names for generated code: readable slugs for Pulumi resource names, camelCase identifiers for
 * variables, and one rule that keeps either unique and stable (an item's name depends only on the
 * items that would share it, never on list order).
 */

/** A lower-case ASCII slug of `text` (`Sales Reports (EU)` → `sales-reports-eu`), at most 48 characters; may be empty. */
export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}

/** A camelCase identifier from a slug (`sales-reports-eu` → `salesReportsEu`); `""` for an empty slug. */
export function camel(fromSlug: string): string {
  return fromSlug
    .split("-")
    .filter((w) => w !== "")
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
}

/** Reserved words and names the generated program itself uses, never given to a variable. */
const TAKEN = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false " +
    "finally for function if import in instanceof new null return super switch this throw true try " +
    "typeof var void while with yield let static implements interface package private protected public " +
    "await async of arguments eval undefined NaN Infinity mode pulumi workspace require module exports"
  ).split(" "),
);

/** A valid, unused identifier for `base` (a camelCase word): prefixed with `_` when it starts with a digit or is taken. */
export function identifier(base: string): string {
  const id = /^[a-z_$]/i.test(base) ? base : `_${base}`;
  return TAKEN.has(id) ? `_${id}` : id;
}

/**
 * Gives each item a unique name: its `base`, or, when several items share that base (or it is
 * empty), `base-suffix` with the item's own `suffix` (a token: unique and stable). Returns the
 * names by item `key`; give the items in a stable order (sorted), as the rare clash of a joined
 * name with another item's base is settled in that order. `join` puts base and suffix together (default: with `-`).
 */
export function uniqueNames(
  items: readonly { key: string; base: string; suffix: string }[],
  join: (base: string, suffix: string) => string = (b, s) => (b === "" ? s : `${b}-${s}`),
): Map<string, string> {
  const count = new Map<string, number>();
  for (const item of items) count.set(item.base, (count.get(item.base) ?? 0) + 1);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const item of items) {
    let name = item.base !== "" && count.get(item.base) === 1 ? item.base : join(item.base, item.suffix);
    // Another item's base can equal this joined name (very unlikely): join once more until unique.
    while (used.has(name)) name = join(name, item.suffix);
    used.add(name);
    names.set(item.key, name);
  }
  return names;
}
