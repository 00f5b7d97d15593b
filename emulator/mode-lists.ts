/**
 * Every Mode list, rendered one way, as Mode's published OpenAPI description shapes its lists
 * (definitions `Memberships`, `SpaceMemberships`, `UserGroups`, `Spaces`, `Pagination`): a page of
 * `items` under `_embedded.<key>`, `_links` with `self` and `next_page` / `prev_page` (never `next`),
 * and always a `pagination` object (`first_page`, `last_page` as hrefs, `total_pages`, `total_count`).
 * Every href is absolute, like every other href the emulator renders. Every Mode list route calls
 * {@link modeList}.
 */
import { Page, Reply, RouteContext, ok, paginate, positiveInt } from "./http";
import { link } from "./mode-views";

/** Largest `per_page` a Mode collection honours (larger values are clamped). */
export const MODE_MAX_PER_PAGE = 1000;

/**
 * Renders the page the request asks for (`?page=`, `?per_page=`) of `all` as a Mode list whose
 * items are under `_embedded[key]`; `selfPath` is the list's absolute URL without a query. Every
 * page link keeps the request's other query parameters (e.g. `filter=all`), so page 2 lists what
 * page 1 did.
 */
export function modeList<T>(
  ctx: RouteContext,
  selfPath: string,
  key: string,
  all: T[],
  render: (x: T) => Record<string, unknown>,
): Reply {
  const perPage = Math.min(positiveInt(ctx.query, "per_page") ?? ctx.modePageSize, MODE_MAX_PER_PAGE);
  const page: Page<T> = paginate(all, positiveInt(ctx.query, "page") ?? 1, perPage);
  const kept = new URLSearchParams(ctx.query);
  kept.delete("page");
  kept.delete("per_page");
  if (ctx.query.has("per_page")) kept.set("per_page", String(perPage));
  const extra = kept.size > 0 ? `&${kept.toString()}` : "";
  const href = (n: number): string => `${selfPath}?page=${n}${extra}`;
  const links: Record<string, unknown> = { self: link(href(page.page)) };
  if (page.hasNext) links.next_page = link(href(page.page + 1));
  if (page.page > 1) links.prev_page = link(href(Math.min(page.page - 1, page.totalPages)));
  return ok("mode", 200, {
    pagination: {
      first_page: href(1),
      last_page: href(page.totalPages),
      total_pages: page.totalPages,
      total_count: all.length,
    },
    _links: links,
    _embedded: { [key]: page.items.map(render) },
  });
}
