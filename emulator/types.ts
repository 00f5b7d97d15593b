/**
 * Types of everything the emulator stores: both APIs' objects, the seed description and the state
 * file's shape.
 */

/** A Mode user (a person with a username, a user token and an email). */
export interface ModeUser {
  /** Numeric id, used as `inviter_id`, `invitee_id` and `member_id`. */
  id: number;
  /** Unique username; also the last path segment of the user's `_links` href. */
  username: string;
  /** The user token (used as `member_token`). */
  token: string;
  /** Email address as given. */
  email: string;
  /** Creation time (ISO 8601). */
  createdAt: string;
}

/** An API credential (token + secret) accepted by HTTP Basic auth on the Mode API. */
export interface Credential {
  /** API token (the Basic auth user name). */
  token: string;
  /** API secret (the Basic auth password). */
  secret: string;
  /** `personal` tokens act as their user; `workspace` tokens act for one workspace. */
  kind: "personal" | "workspace";
  /** Owner of a personal token. */
  userId: number | null;
  /** Workspace of a Workspace API token. */
  workspaceId: number | null;
}

/** A Mode workspace (the API's "organization"). */
export interface Workspace {
  /** Numeric id, reported as `organization_id`. */
  id: number;
  /** Workspace username, the `{workspace}` / `{account}` path segment. */
  username: string;
  /** Display name. */
  name: string;
}

/** Stored state of a workspace membership; `expired` is computed on read, never stored. */
export type StoredMembershipStatus = "active" | "invited" | "deactivated";

/** A user's membership of a workspace; its public token is the user's token. */
export interface Membership {
  /** Workspace id. */
  workspaceId: number;
  /** Member user id. */
  userId: number;
  /** Whether the member is a workspace admin (set only through the control interface). */
  admin: boolean;
  /** True until the invite is accepted. */
  invited: boolean;
  /** Stored state. */
  status: StoredMembershipStatus;
  /** When the member became active, or null. */
  activatedAt: string | null;
  /** Whether an identity provider manages the member (set only through the control interface). */
  managedByScim: boolean;
  /** Limited (view-only) member. */
  limited: boolean;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** A Mode workspace invite. */
export interface ModeInvite {
  /** Numeric id. */
  id: number;
  /** Workspace id. */
  workspaceId: number;
  /** Email as given in the (first) request. */
  email: string;
  /** Invitation message. */
  message: string;
  /** Inviting user id (null when a Workspace API token would have invited; not reachable). */
  inviterId: number | null;
  /** Invited user id. */
  inviteeId: number;
  /** Limited membership invite. */
  limited: boolean;
  /** Timestamps (ISO 8601) or null. */
  createdAt: string;
  /** When the invite was (last freshly) sent. */
  sentAt: string;
  /** Set when a pending invite is sent again. */
  resentAt: string | null;
  /** Never set by the emulator. */
  clickedAt: string | null;
  /** When the invitee accepted. */
  acceptedAt: string | null;
  /** `sentAt` + 7 days. */
  expiresAt: string;
}

/** Lifecycle state of a group or a collection: a delete only marks it. */
export type SoftState = "active" | "soft_deleted";

/** A user group of a workspace. */
export interface UserGroup {
  /** Numeric id (`member_id` of a group space membership). */
  id: number;
  /** Group token. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Display name; unique among the workspace's active groups, case-insensitively. */
  name: string;
  /** Description ("" when none was given). */
  description: string;
  /** `custom` for groups made through the API or the seed. */
  groupType: string;
  /** `soft_deleted` after a delete (still readable by token, left out of lists). */
  state: SoftState;
  /** Whether the identity provider manages the group through SCIM (set through the control interface). */
  managed: boolean;
  /** User who created it, or null (Workspace API token, identity provider). */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** A user's membership of a group. */
export interface GroupMembership {
  /** Group membership token, the `{membership}` path segment. */
  token: string;
  /** Group id. */
  groupId: number;
  /** Member user id. */
  userId: number;
  /** The member's user token (`member_token`). */
  memberToken: string;
  /** User who added the member, or null. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** Default access level of a collection: `restricted` means only the granted can see it. */
export type AccessLevel = "restricted" | "view" | "edit";

/** A space (collection) of a workspace. */
export interface Space {
  /** Numeric id. */
  id: number;
  /** Space token, the `{space}` path segment. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Display name. */
  name: string;
  /** Description ("" when none was given). */
  description: string;
  /** `custom`, or `personal` for a user's own collection. */
  spaceType: "custom" | "personal";
  /** `soft_deleted` after a delete: the collection's own path then answers 403, lists leave it out. */
  state: SoftState;
  /** Default access level of the workspace's members. */
  defaultAccessLevel: AccessLevel;
  /** Creator (the owner of a personal collection), or null. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** A database connection of a workspace. */
export interface DataSource {
  /** Numeric id. */
  id: number;
  /** Data source token, the `{data_source}` path segment. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Display name. */
  name: string;
  /** Description. */
  description: string;
  /** JDBC adapter, e.g. `jdbc:postgresql`. */
  adapter: string;
  /** Database name. */
  database: string;
  /** Host name. */
  host: string;
  /** Default access level of the workspace's members (reported, never changed by the API). */
  defaultAccessLevel: string;
  /** Creator, or null. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** What a permission is granted on. */
export type PermissionTarget = "space" | "data_source";

/** Who a permission is granted to: a member (`Account`, by user token) or a group (by group token). */
export type AccessorType = "Account" | "UserGroup";

/** A permission on a collection (space) or a data source. */
export interface Permission {
  /** Permission token, the `{permission}` path segment. */
  token: string;
  /** Workspace id. */
  workspaceId: number;
  /** Kind of object it is granted on. */
  targetType: PermissionTarget;
  /** Id of the space or data source. */
  targetId: number;
  /** `view`/`edit` on a space; `view`/`query`/`manage` on a data source. */
  action: string;
  /** Accessor kind. */
  accessorType: AccessorType;
  /** User token (`Account`) or group token (`UserGroup`). */
  accessorToken: string;
  /** User who granted it, or null. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** Upstream quirks the control interface switches on. */
export interface Quirks {
  /**
   * GETs of single data-source permissions that answer 500 while the list works: `all`, or the
   * tokens of the permissions concerned; empty: off.
   */
  dataSourcePermissionGet500: "all" | string[];
}

/** Membership of a user or user group in a space. */
export interface SpaceMembership {
  /** Space membership token. */
  token: string;
  /** Space id. */
  spaceId: number;
  /** `User` or `UserGroup`. */
  memberType: "User" | "UserGroup";
  /** Token of the user or group. */
  memberToken: string;
  /** Numeric id of the user or group. */
  memberId: number;
  /** User who created it, or null when created with a Workspace API token. */
  creatorId: number | null;
  /** Creation time; also the list order. */
  createdAt: string;
}

/** An organization of the organization-invites API. */
export interface Org {
  /** UUID, the `{org}` path segment. */
  id: string;
  /** Display name. */
  name: string;
  /** Bearer token of this organization. */
  token: string;
  /** UUID of the admin user reported as `invited_by_user`. */
  adminUserId: string;
}

/** An organization invite (JSON:API `organization_invites`). */
export interface OrgInvite {
  /** UUID. */
  id: string;
  /** Organization UUID. */
  organizationId: string;
  /** Recipient email as given. */
  recipientEmail: string;
  /** 64-hex secret needed to accept. */
  code: string;
  /** `admin` or null. */
  inviteUserAs: string | null;
  /** Timestamps (ISO 8601, whole seconds). */
  createdAt: string;
  /** Last update. */
  updatedAt: string;
  /** Client-supplied reference time or the creation time. */
  updatedInDbAt: string;
  /** Acceptance time or null. */
  acceptedAt: string | null;
  /** UUID of the accepting user. */
  acceptedByUserId: string | null;
  /** UUID of the user who cancelled it in the product UI. */
  cancelledByUserId: string | null;
  /** UUID of the inviting user. */
  invitedByUserId: string;
}

/** A seeded user as reported in the first-line JSON. */
export interface SeedUser {
  /** Username. */
  username: string;
  /** User (member) token. */
  token: string;
  /** Email address. */
  email: string;
}

/** A seeded group as reported in the first-line JSON. */
export interface SeedGroup {
  /** Group token. */
  token: string;
  /** Group name. */
  name: string;
  /** Usernames of its members. */
  members: string[];
}

/** A seeded custom collection as reported in the first-line JSON. */
export interface SeedCollection {
  /** Collection (space) token. */
  token: string;
  /** Name. */
  name: string;
  /** Default access level. */
  defaultAccessLevel: AccessLevel;
}

/** A seeded personal collection as reported in the first-line JSON. */
export interface SeedPersonalCollection {
  /** Collection (space) token. */
  token: string;
  /** Username of its owner. */
  username: string;
}

/** A seeded data source as reported in the first-line JSON. */
export interface SeedDataSource {
  /** Data source token. */
  token: string;
  /** Name. */
  name: string;
}

/** A token + secret pair. */
export interface TokenPair {
  /** API token. */
  token: string;
  /** API secret. */
  secret: string;
}

/** The seeded values, stored with the state so a restart from a state file reports the same. */
export interface SeedCore {
  /** Mode side of the seed. */
  mode: {
    /** Workspace username. */
    workspace: string;
    /** Admin API token. */
    token: string;
    /** Admin API secret. */
    secret: string;
    /** Username of the admin member. */
    adminUsername: string;
    /** Space tokens. */
    spaces: string[];
    /** Seeded active members (the admin is listed separately). */
    users: SeedUser[];
    /** User group tokens (the tokens of `groups`, in order). */
    userGroups: string[];
    /** Seeded groups with their members' usernames. */
    groups: SeedGroup[];
    /** Seeded custom collections (the spaces of `spaces`, in order). */
    collections: SeedCollection[];
    /** Seeded personal collections. */
    personalCollections: SeedPersonalCollection[];
    /** Seeded data sources. */
    dataSources: SeedDataSource[];
    /** Valid credentials of a user who is not a member of the workspace. */
    noAccess: TokenPair;
    /** A Workspace API token of the workspace. */
    workspaceApiToken: TokenPair;
  };
  /** Organization side of the seed. */
  org: {
    /** Organization UUID. */
    organizationId: string;
    /** Its bearer token. */
    token: string;
    /** A second organization. */
    otherOrganizationId: string;
    /** The second organization's token. */
    otherToken: string;
  };
}

/** Everything the emulator knows; this is what the state file holds. */
export interface StateData {
  /** File format version. */
  version: 1;
  /** Emulator clock = wall clock + this offset. */
  clockOffsetMs: number;
  /** Next numeric id. */
  nextId: number;
  /** Mode workspaces. */
  workspaces: Workspace[];
  /** Mode users. */
  users: ModeUser[];
  /** Mode API credentials. */
  credentials: Credential[];
  /** Workspace memberships. */
  memberships: Membership[];
  /** Workspace invites. */
  invites: ModeInvite[];
  /** User groups. */
  userGroups: UserGroup[];
  /** Spaces. */
  spaces: Space[];
  /** Space memberships. */
  spaceMemberships: SpaceMembership[];
  /** Group memberships. */
  groupMemberships: GroupMembership[];
  /** Data sources. */
  dataSources: DataSource[];
  /** Permissions on spaces and data sources. */
  permissions: Permission[];
  /** Upstream quirks switched on through the control interface. */
  quirks: Quirks;
  /** Organizations. */
  orgs: Org[];
  /** Organization invites. */
  orgInvites: OrgInvite[];
  /** Seed description. */
  seed: SeedCore;
}

/** Sizes of the default seed. */
export interface SeedSizes {
  /** Number of active non-admin members (default 5). */
  users?: number;
  /** Number of spaces (default 3). */
  spaces?: number;
  /** Number of user groups (default 2). */
  userGroups?: number;
  /** Number of data sources (default 3). */
  dataSources?: number;
  /** Number of seeded members (the first ones) who get a personal collection (default 0). */
  personalCollections?: number;
}
