/**
 * The API surface the provider's collections layer uses, as narrow interfaces: the methods of each
 * client that resources reach (through provider/collections/). The provider context holds one of
 * each; tests hand it fakes that implement these interfaces instead of subclassing a client.
 * Add a method name here when a collection starts calling it.
 */
import { ModeClient, OrgClient } from "./client";
import { credentialsHint, type Settings } from "./settings";

/** The Mode client methods the collections layer calls. */
export const MODE_API_METHODS = [
  "createInvite",
  "listMemberships",
  "deleteMembership",
  "listSpaceMemberships",
  "createSpaceMembership",
  "deleteSpaceMembership",
  "listGroups",
  "getGroup",
  "createGroup",
  "updateGroup",
  "deleteGroup",
  "listGroupMemberships",
  "createGroupMembership",
  "deleteGroupMembership",
  "listSpaces",
  "getSpace",
  "createSpace",
  "updateSpace",
  "deleteSpace",
  "listSpacePermissions",
  "getSpacePermission",
  "createSpacePermission",
  "updateSpacePermission",
  "deleteSpacePermission",
  "listDataSources",
  "listDataSourcePermissions",
  "getDataSourcePermission",
  "createDataSourcePermission",
  "updateDataSourcePermission",
  "deleteDataSourcePermission",
] as const satisfies readonly (keyof ModeClient)[];

/** The organization-invites client methods the collections layer calls. */
export const ORG_API_METHODS = [
  "listInvites",
  "createInvite",
  "deleteInvite",
  "acceptInvite",
] as const satisfies readonly (keyof OrgClient)[];

/** What the provider needs of the Mode API. */
export type ModeApi = Pick<ModeClient, (typeof MODE_API_METHODS)[number]>;

/** What the provider needs of the organization-invites API. */
export type OrgApi = Pick<OrgClient, (typeof ORG_API_METHODS)[number]>;

/** The Mode API client for `settings` (the credentials' errors say how to set them). */
export function modeClientFor(settings: Settings): ModeClient {
  return new ModeClient({
    apiUrl: settings.modeApiUrl(),
    token: settings.require("apiToken"),
    secret: settings.require("apiSecret"),
    credentialsHint: credentialsHint("mode"),
  });
}

/** The organization-invites API client for `settings`; its URL has no default and must be configured. */
export function orgClientFor(settings: Settings): OrgClient {
  return new OrgClient({
    apiUrl: settings.require("orgApiUrl"),
    token: settings.require("orgApiToken"),
    credentialsHint: credentialsHint("org"),
  });
}
