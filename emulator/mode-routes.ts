/**
 * Thin route handlers of the Mode API (paths relative to `{modeApiUrl}`). Each one authenticates,
 * resolves the workspace, calls the model and renders HAL+JSON.
 */
import { accessRoutes } from "./access-routes";
import { Handler, Route, RouteContext, ok, parseJsonBody } from "./http";
import { modeList } from "./mode-lists";
import * as model from "./mode-model";
import * as spaces from "./space-model";
import { inviteView, membershipView, spaceMembershipView } from "./mode-views";

/** Sunset of the space-membership endpoints (the document announces deprecation on 9/30). */
const DEPRECATED_AT = Date.parse("2025-09-30T00:00:00Z");

/** Headers carried by every response of the deprecated space-membership endpoints. */
export function deprecationHeaders(origin: string): Record<string, string> {
  return {
    Deprecation: `@${DEPRECATED_AT / 1000}`,
    Sunset: new Date(DEPRECATED_AT).toUTCString(),
    Link: `<${origin}/_docs/space-memberships-deprecation>; rel="deprecation"`,
  };
}

function access(ctx: RouteContext, name: string): model.Access {
  return model.callerAccess(ctx.store, ctx.headers.authorization, name);
}

const createInvite: Handler = (ctx) => {
  const a = access(ctx, ctx.params.workspace);
  model.assertCanInvite(a);
  const { email, message } = model.parseInviteBody(parseJsonBody("mode", ctx.headers, ctx.rawBody));
  const inv = model.createInvite(ctx.store, a, email, message);
  return ok("mode", 200, inviteView(ctx.store, ctx.urls.mode, a.ws, inv));
};

const listMemberships: Handler = (ctx) => {
  const a = access(ctx, ctx.params.workspace);
  const self = `${ctx.urls.mode}/${encodeURIComponent(a.ws.username)}/memberships`;
  return modeList(ctx, self, "memberships", model.listMemberships(ctx.store, a.ws), (m) =>
    membershipView(ctx.store, ctx.urls.mode, a.ws, m),
  );
};

const getMembership: Handler = (ctx) => {
  const a = access(ctx, ctx.params.workspace);
  const m = model.findMembership(ctx.store, a.ws, ctx.params.membership);
  return ok("mode", 200, membershipView(ctx.store, ctx.urls.mode, a.ws, m));
};

const deleteMembership: Handler = (ctx) => {
  const a = access(ctx, ctx.params.workspace);
  const m = model.findMembership(ctx.store, a.ws, ctx.params.membership);
  const view = membershipView(ctx.store, ctx.urls.mode, a.ws, m);
  model.deleteMembership(ctx.store, a, m);
  return ok("mode", 200, view);
};

function spaceAccess(ctx: RouteContext): { a: model.Access; space: ReturnType<typeof spaces.findSpace> } {
  const a = access(ctx, ctx.params.account);
  return { a, space: spaces.findSpace(ctx.store, a.ws, ctx.params.space) };
}

const listSpaceMemberships: Handler = (ctx) => {
  const { a, space } = spaceAccess(ctx);
  const self = `${ctx.urls.mode}/${encodeURIComponent(a.ws.username)}/spaces/${encodeURIComponent(space.token)}/memberships`;
  return modeList(ctx, self, "memberships", spaces.listSpaceMemberships(ctx.store, space), (sm) =>
    spaceMembershipView(ctx.store, ctx.urls.mode, a.ws, space, sm),
  );
};

const getSpaceMembership: Handler = (ctx) => {
  const { a, space } = spaceAccess(ctx);
  const sm = spaces.findSpaceMembership(ctx.store, space, ctx.params.spaceMembership);
  return ok("mode", 200, spaceMembershipView(ctx.store, ctx.urls.mode, a.ws, space, sm));
};

const createSpaceMembership: Handler = (ctx) => {
  const { a, space } = spaceAccess(ctx);
  const body = parseJsonBody("mode", ctx.headers, ctx.rawBody);
  const sm = spaces.createSpaceMembership(ctx.store, a, space, body);
  return ok("mode", 200, spaceMembershipView(ctx.store, ctx.urls.mode, a.ws, space, sm));
};

const deleteSpaceMembership: Handler = (ctx) => {
  const { a, space } = spaceAccess(ctx);
  const sm = spaces.findSpaceMembership(ctx.store, space, ctx.params.spaceMembership);
  const view = spaceMembershipView(ctx.store, ctx.urls.mode, a.ws, space, sm);
  spaces.deleteSpaceMembership(ctx.store, sm);
  return ok("mode", 200, view);
};

const SPACE = [":account", "spaces", ":space", "memberships"];

/** The Mode route table (the access model's routes come from ./access-routes). */
export const modeRoutes: Route<Handler>[] = [
  { name: "mode.invites.create", method: "POST", pattern: [":workspace", "invites"], handler: createInvite },
  {
    name: "mode.memberships.list",
    method: "GET",
    pattern: [":workspace", "memberships"],
    handler: listMemberships,
  },
  {
    name: "mode.memberships.get",
    method: "GET",
    pattern: [":workspace", "memberships", ":membership"],
    handler: getMembership,
  },
  {
    name: "mode.memberships.delete",
    method: "DELETE",
    pattern: [":workspace", "memberships", ":membership"],
    handler: deleteMembership,
  },
  { name: "mode.spaceMemberships.list", method: "GET", pattern: SPACE, handler: listSpaceMemberships },
  { name: "mode.spaceMemberships.create", method: "POST", pattern: SPACE, handler: createSpaceMembership },
  {
    name: "mode.spaceMemberships.get",
    method: "GET",
    pattern: [...SPACE, ":spaceMembership"],
    handler: getSpaceMembership,
  },
  {
    name: "mode.spaceMemberships.delete",
    method: "DELETE",
    pattern: [...SPACE, ":spaceMembership"],
    handler: deleteSpaceMembership,
  },
  ...accessRoutes,
];

/** Whether a path pattern belongs to the deprecated space-membership endpoints. */
export function isSpaceMembershipPattern(pattern: string[]): boolean {
  return pattern.length >= 4 && pattern[1] === "spaces" && pattern[3] === "memberships";
}
