/**
 * Every Mode list, rendered one way: a page of `items` under `_embedded.<key>`, with HAL links to
 * itself and the pages around it. Every Mode list route calls {@link modeList}.
 */
import { Page, Reply, RouteContext, ok, paginate, positiveInt } from "./http";
import { link } from "./mode-views";

/** Largest `per_page` a Mode collection honours (larger values are clamped). */
export const MODE_MAX_PER_PAGE = 1000;

/**
 * Renders the page the request asks for (`?page=`, `?per_page=`) of `all` as a Mode list whose
 * items are under `_embedded[key]`; `selfPath` is the list's absolute URL without a query.
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
  // Page links keep the request's other parameters (e.g. `filter=all`), so a next page stays in the same listing.
  const kept = new URLSearchParams([...ctx.query].filter(([k]) => k !== "page" && k !== "per_page"));
  if (ctx.query.has("per_page")) kept.set("per_page", String(perPage));
  const query = kept.toString();
  const extra = query === "" ? "" : `&${query}`;
  const links: Record<string, unknown> = { self: link(`${selfPath}?page=${page.page}${extra}`) };
  if (page.hasNext) links.next = link(`${selfPath}?page=${page.page + 1}${extra}`);
  return ok("mode", 200, { _links: links, _embedded: { [key]: page.items.map(render) } });
}
