/**
 * Thin route handlers of the organization-invites API (paths relative to `{orgApiUrl}`).
 */
import { ApiError, Handler, Route, RouteContext, ok, paginate, parseJsonBody, positiveInt } from "./http";
import * as model from "./org-model";
import { Org } from "./store";

/** Default page size of the invite list. */
export const ORG_DEFAULT_PER_PAGE = 25;
/** Largest page size; larger `per_page` values are clamped to it (decision: clamp, not 400). */
export const ORG_MAX_PER_PAGE = 100;

function org(ctx: RouteContext): Org {
  return model.orgAccess(ctx.store, ctx.headers.authorization, ctx.params.org);
}

function invitesUrl(ctx: RouteContext, o: Org): string {
  return `${ctx.urls.org}/api/v2/organizations/${encodeURIComponent(o.id)}/invites`;
}

const list: Handler = (ctx) => {
  const o = org(ctx);
  const filter = ctx.query.get("filter[invite_user_as]");
  if (filter !== null && !model.INVITE_USER_AS.includes(filter)) {
    throw new ApiError(
      400,
      "bad_request",
      'filter[invite_user_as] accepts only "admin".',
      undefined,
      "filter[invite_user_as]",
    );
  }
  const perPage = Math.min(positiveInt(ctx.query, "per_page") ?? ORG_DEFAULT_PER_PAGE, ORG_MAX_PER_PAGE);
  const all = model.listInvites(ctx.store, o, filter);
  const page = paginate(all, positiveInt(ctx.query, "page") ?? 1, perPage);
  const href = (n: number): string => {
    const q = new URLSearchParams({ page: String(n), per_page: String(perPage) });
    if (filter !== null) q.set("filter[invite_user_as]", filter);
    return `${invitesUrl(ctx, o)}?${q.toString()}`;
  };
  const links: Record<string, string> = { self: href(page.page) };
  if (page.hasNext) links.next = href(page.page + 1);
  return ok("org", 200, {
    data: page.items.map((i) => model.inviteResource(i)),
    meta: {
      pagination: {
        page: page.page,
        per_page: perPage,
        total_count: all.length,
        total_pages: page.totalPages,
      },
      sort: null,
      filter: filter === null ? {} : { invite_user_as: filter },
    },
    links,
  });
};

const create: Handler = (ctx) => {
  const o = org(ctx);
  const inv = model.createInvite(ctx.store, o, parseJsonBody("org", ctx.headers, ctx.rawBody));
  return ok("org", 201, { data: model.inviteResource(inv, true) });
};

const get: Handler = (ctx) => {
  const inv = model.findInvite(ctx.store, org(ctx), ctx.params.invite);
  return ok("org", 200, { data: model.inviteResource(inv) });
};

const remove: Handler = (ctx) => {
  const inv = model.findInvite(ctx.store, org(ctx), ctx.params.invite);
  model.deleteInvite(ctx.store, inv);
  return { status: 204, headers: {} };
};

const accept: Handler = (ctx) => {
  const inv = model.findInvite(ctx.store, org(ctx), ctx.params.invite);
  model.acceptInvite(ctx.store, inv, parseJsonBody("org", ctx.headers, ctx.rawBody));
  return ok("org", 200, { data: model.inviteResource(inv) });
};

const BASE = ["api", "v2", "organizations", ":org", "invites"];

/** The organization-invites route table. */
export const orgRoutes: Route<Handler>[] = [
  { name: "org.invites.list", method: "GET", pattern: BASE, handler: list },
  { name: "org.invites.create", method: "POST", pattern: BASE, handler: create },
  { name: "org.invites.get", method: "GET", pattern: [...BASE, ":invite"], handler: get },
  { name: "org.invites.delete", method: "DELETE", pattern: [...BASE, ":invite"], handler: remove },
  { name: "org.invites.accept", method: "PUT", pattern: [...BASE, ":invite", "accept"], handler: accept },
];
