/**
 * pulumi-mode: Mode workspace invites, space memberships, collections and who may reach them, and
 * organization invites as Pulumi resources, with drift detection in previews.
 *
 * Credentials and endpoints come from Pulumi config (`mode:apiUrl`, `mode:apiToken`,
 * `mode:apiSecret`, `mode:orgApiUrl`, `mode:orgApiToken`; secrets allowed) or the environment
 * (`MODE_API_URL`, `MODE_API_TOKEN`, `MODE_API_SECRET`, `MODE_ORG_API_URL`, `MODE_ORG_API_TOKEN`).
 */
export { WorkspaceInvite, type WorkspaceInviteArgs } from "./workspace-invite";
export { WorkspaceMembership, type WorkspaceMembershipArgs } from "./workspace-membership";
export { SpaceMembership, type SpaceMembershipArgs, SPACE_MEMBERSHIP_DEPRECATION } from "./space-membership";
export { SpaceMembers, type SpaceMembersArgs, type SpaceMember } from "./space-members";
export {
  WorkspaceMembers,
  type WorkspaceMembersArgs,
  type WorkspaceMember,
  type KeptMember,
} from "./workspace-members";
export { Group, type GroupArgs } from "./group";
export { GroupMembership, type GroupMembershipArgs } from "./group-membership";
export { GroupMembers, type GroupMembersArgs, type GroupMember } from "./group-members";
export type { UnmanagedMode } from "../provider/removals";
// Mode's access model: collections, and who may reach each collection and data source.
export { Collection, type CollectionArgs } from "./collection";
export { CollectionPermission, type CollectionPermissionArgs } from "./collection-permission";
export {
  CollectionAccess,
  type CollectionAccessArgs,
  type CollectionGrant,
  type ResolvedGrant,
} from "./collection-access";
export { DataSourcePermission, type DataSourcePermissionArgs } from "./data-source-permission";
export { OrgInvite, type OrgInviteArgs } from "./org-invite";
export { OrgInviteAcceptance, type OrgInviteAcceptanceArgs } from "./org-invite-acceptance";
export {
  getWorkspaceMembership,
  getWorkspaceMemberships,
  getSpaceMemberships,
  getOrgInvites,
  type WorkspaceMembershipInfo,
  type SpaceMembershipInfo,
  type OrgInviteInfo,
} from "./functions";
export {
  getGroups,
  getGroupMembers,
  getCollections,
  getCollectionPermissions,
  getDataSources,
  getDataSourcePermissions,
  type GroupInfo,
  type GroupMemberInfo,
  type CollectionInfo,
  type DataSourceInfo,
  type PermissionInfo,
} from "./access-functions";
