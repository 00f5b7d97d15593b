/**
 * Reading a whole listing, the one way every list of both APIs is read (octokit's `paginate`, plus
 * the checks a partial listing needs): every page is fetched and validated, next links are followed
 * on the same origin only and never twice, and the items are counted against the server's
 * `total_count`. A listing that does not add up is read once more; if it still does not, it is an
 * error, never the whole collection. The caller gets the items only once the whole listing is
 * verified, so nothing ever acts on a partial one.
 *
 * A Mode list is one line: `readAll(http, modeList(noun, { path }, validators.someList, pick))`, with
 * `pick` returning the array under `_embedded` (by its key, or {@link theOneArray} when the key is
 * not documented).
 */
import type { ValidateFunction } from "ajv";
import type { PageRequest, Transport } from "./http";

/** How to read one list: where it starts, how a page is validated, where its items, next page and count are. */
export interface ListSpec<P, T> {
  /** What the items are, plural, for messages (e.g. `memberships`). */
  noun: string;
  /** The first page. */
  first: PageRequest;
  /** Validator of one page (items included). */
  validator: ValidateFunction<P>;
  /** The page's items; `undefined` when the page carries no list at all. Throws {@link PageShapeError}. */
  items(page: P): T[] | undefined;
  /** The next page (a link href, resolved against the page's URL, or a request); undefined on the last page. */
  next(page: P): string | PageRequest | undefined;
  /** The server's count of the whole listing, when the page states it. */
  total(page: P): number | undefined;
}

/** A page that passed its schema but cannot be read as a page of the list (e.g. two candidate arrays). */
export class PageShapeError extends Error {}

/** Pages followed at most (a listing longer than this is refused, never cut short). */
export const MAX_PAGES = 10_000;

/** Why a reading of a listing cannot be taken for the whole, with the counts behind it. */
interface Shortfall {
  /** Items read. */
  read: number;
  /** The server's count (the latest `total_count`). */
  total: number;
  /** What was seen, e.g. `the last page (…?page=2) has no next link`. */
  why: string;
}

/**
 * What a listing error advises: nothing was decided from the partial listing; rerun, or check the URL.
 */
function listingAdvice(noun: string): string {
  return (
    `Nothing was decided from a partial listing. If someone is changing these ${noun} right now, run ` +
    "again when they are done; if it keeps happening, the API is not paging the way Mode publishes it: " +
    "check the API URL points at Mode's API."
  );
}

/**
 * Reads every page of `spec` and returns all items once the listing is verified: every page valid,
 * the count equal to `total_count` (when the server states one) and no page without its list while
 * items remain. A listing that does not add up (someone else's write between two pages can cause
 * that) is read once more from the first page; if it still does not add up, throws ApiError
 * `invalid_response` saying so. A loop, a link to another origin, an invalid page or an HTTP error
 * fails at once.
 */
export async function readAll<P, T>(http: Transport, spec: ListSpec<P, T>): Promise<T[]> {
  const first = await readOnce(http, spec);
  if (Array.isArray(first)) return first;
  const second = await readOnce(http, spec);
  if (Array.isArray(second)) return second;
  const { read, total, why } = second;
  const counted =
    read < total
      ? `came up short (${read} of ${total} ${spec.noun})`
      : `did not add up (${read} ${spec.noun} read, total_count ${total})`;
  throw http.invalidResponse(
    "GET",
    http.relativePath(http.urlOf(spec.first)),
    `the listing was read twice and still ${counted}: ${why}`,
    { advice: listingAdvice(spec.noun) },
  );
}

/** One reading from the first page: the items, or why they are not the whole listing. */
async function readOnce<P, T>(http: Transport, spec: ListSpec<P, T>): Promise<T[] | Shortfall> {
  const items: T[] = [];
  let total: number | undefined;
  let last = "";
  for await (const { page, path, n } of walk(http, spec)) {
    last = `page ${n} (${path})`;
    const count = spec.total(page);
    if (count !== undefined) {
      if (total !== undefined && count !== total) {
        return {
          read: items.length,
          total: count,
          why: `total_count changed from ${total} to ${count} at ${last}`,
        };
      }
      total = count;
    }
    const got = readable(http, spec, path, () => spec.items(page));
    if (got === undefined) {
      if (total !== undefined && items.length < total) {
        const why = `${last} has no list under _embedded while ${total - items.length} of ${total} remain`;
        return { read: items.length, total, why };
      }
      continue;
    }
    items.push(...got);
  }
  if (total === undefined || items.length === total) return items;
  const why =
    items.length < total
      ? `the last page, ${last}, has no next link`
      : `the pages held more ${spec.noun} than total_count (the last was ${last})`;
  return { read: items.length, total, why };
}

/**
 * GETs the pages of `spec` from the first, validating each. A next link is resolved against the
 * page's own URL and must stay on the base origin; a page requested twice is a loop.
 */
async function* walk<P, T>(
  http: Transport,
  spec: ListSpec<P, T>,
): AsyncGenerator<{ page: P; path: string; n: number }, void, undefined> {
  const seen = new Map<string, number>();
  let url: string | undefined = http.urlOf(spec.first);
  for (let n = 1; url !== undefined; n++) {
    const path = http.relativePath(url);
    const earlier = seen.get(url);
    if (earlier !== undefined) {
      throw http.invalidResponse(
        "GET",
        path,
        `pagination loop: page ${n - 1} links back to page ${earlier} (${path}); refusing to read it again`,
        { advice: listingAdvice(spec.noun) },
      );
    }
    if (n > MAX_PAGES) {
      throw http.invalidResponse(
        "GET",
        path,
        `the listing goes on past ${MAX_PAGES} pages; refusing to read further`,
        {
          advice: listingAdvice(spec.noun),
        },
      );
    }
    seen.set(url, n);
    const page: P = (await http.request({ method: "GET", url, validator: spec.validator })).body;
    yield { page, path, n };
    const following: string | PageRequest | undefined = readable(http, spec, path, () => spec.next(page));
    url =
      following === undefined || following === ""
        ? undefined
        : typeof following === "string"
          ? http.resolveLink(following, "GET", path, url)
          : http.urlOf(following);
  }
}

/** Runs `read` on a page at `path`, turning a {@link PageShapeError} into ApiError `invalid_response`. */
function readable<R>(http: Transport, spec: { noun: string }, path: string, read: () => R): R {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof PageShapeError)) throw e;
    throw http.invalidResponse("GET", path, e.message, { advice: listingAdvice(spec.noun) });
  }
}

// ---- Mode lists ----------------------------------------------------------------------------------

/** The envelope every Mode list shares (swagger: Memberships, SpaceMemberships, UserGroups, Spaces, …). */
export interface ModeListPage {
  /** `self`, `next_page`, `prev_page` (and `next`, should Mode ever send it). */
  _links: { [name: string]: unknown };
  /** The published Pagination object (optional as published). */
  pagination?: { total_count: number | string; [name: string]: unknown };
  /** The items, under a key. */
  _embedded?: { [key: string]: unknown };
}

/**
 * A Mode list: items under `_embedded` where `pick` finds them, next page at `_links.next_page`
 * (or `_links.next`), count at `pagination.total_count`. Without `_embedded` a page carries no list.
 */
export function modeList<P extends ModeListPage, T>(
  noun: string,
  first: PageRequest,
  validator: ValidateFunction<P>,
  pick: (embedded: NonNullable<P["_embedded"]>) => T[] | undefined,
): ListSpec<P, T> {
  return {
    noun,
    first,
    validator,
    items: (page) => (page._embedded === undefined ? undefined : pick(page._embedded)),
    next: (page) => linkHref(page._links, "next_page") ?? linkHref(page._links, "next"),
    total: (page) => (page.pagination === undefined ? undefined : Number(page.pagination.total_count)),
  };
}

/**
 * The one array under `_embedded`, whatever its key (for lists whose key is not documented, e.g.
 * collection permissions): undefined when there is none; two arrays are a {@link PageShapeError}.
 * Declare such a list's `_embedded` as `additionalProperties: {type: "array", items: <item schema>}`
 * so the page's schema validates the items under any key.
 */
export function theOneArray<T>(embedded: { [key: string]: T[] }): T[] | undefined {
  const arrays = Object.entries(embedded).filter(([, value]) => Array.isArray(value));
  if (arrays.length > 1) {
    const keys = arrays.map(([key]) => key).join(", ");
    throw new PageShapeError(
      `_embedded holds several lists (${keys}); cannot tell which one holds the items`,
    );
  }
  return arrays[0]?.[1];
}

/** The href of link `name` of `links`, or undefined when absent; a present link without an href is a {@link PageShapeError}. */
function linkHref(links: { [name: string]: unknown }, name: string): string | undefined {
  const link = links[name];
  if (link === undefined || link === null) return undefined;
  const href = typeof link === "object" ? (link as { href?: unknown }).href : undefined;
  if (typeof href !== "string") throw new PageShapeError(`_links.${name} is not a link with an href`);
  return href;
}
