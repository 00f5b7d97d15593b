import type { ValidateFunction } from "ajv";
import {
  ACCESSOR_TYPES,
  COLLECTION_ACTIONS,
  DATA_SOURCE_ACTIONS,
  DEFAULT_ACCESS_LEVELS,
  MEMBER_TYPES,
  RULES,
  type AccessorType,
  type CollectionAction,
  type DataSourceAction,
  type DefaultAccessLevel,
} from "../rules";
import {
  accessValidators,
  type DataSource,
  type Permission,
  type Space,
  type UserGroup,
  type UserGroupMembership,
} from "./schemas";
import { ArgChecker, checkCredential } from "./args";
import { invalidArgument } from "./errors";
import { Transport, type PageRequest, type TransportOptions } from "./http";
import { modeList, readAll, theOneArray, type ModeListPage } from "./pages";
import { validators, type ModeInvite, type SpaceMembership, type WorkspaceMembership } from "./schemas";

/** Options of {@link ModeClient}. */
export interface ModeClientOptions extends Omit<TransportOptions, "baseUrl"> {
  /** Base URL of the Mode API, e.g. `https://app.mode.com/api`. */
  apiUrl: string;
  /** API token (HTTP Basic user). Personal API tokens are required for invites. */
  token: string;
  /** API secret (HTTP Basic password). */
  secret: string;
}

/** Body of a workspace invite. */
export interface ModeInviteInput {
  /** The invitee's email address. */
  email: string;
  /** Invitation message (at most 1,000 characters; may be empty). */
  message: string;
}

/** Body of a space-membership create. */
export interface SpaceMembershipInput {
  /** `User` or `UserGroup`. */
  memberType: "User" | "UserGroup";
  /** Token of the user or user group. */
  memberToken: string;
}

/** Body of a group create or rename (`{"user_group": {"name"}}`). */
export interface GroupInput {
  /** The group's name (unique among the workspace's active groups, case-insensitively). */
  name: string;
}

/** Body of a group-membership create (`{"membership": {"member_token"}}`). */
export interface GroupMembershipInput {
  /** The user's token (the same value as their workspace membership's `member_token`). */
  memberToken: string;
}

/** Body of a collection (space) create. */
export interface SpaceInput {
  /** The collection's name (names are not unique). */
  name: string;
  /** Its description (sent as `""` when absent). */
  description?: string;
  /** Its default access level (Mode's default when absent: `view`). */
  defaultAccessLevel?: DefaultAccessLevel;
}

/** Body of a collection (space) update: the fields to change, at least one. */
export interface SpaceUpdate {
  /** New name. */
  name?: string;
  /** New description. */
  description?: string;
  /** New default access level. */
  defaultAccessLevel?: DefaultAccessLevel;
}

/** Body of a permission create (`{"permission": {"action", "accessor_type", "accessor_token"}}`). */
export interface PermissionInput<A extends string> {
  /** What the accessor may do. */
  action: A;
  /** `Account` (a member) or `UserGroup` (a group). */
  accessorType: AccessorType;
  /** The member's user token or the group's token. */
  accessorToken: string;
}

/** Body of a permission update (`{"permission": {"action"}}`). */
export interface PermissionUpdate<A extends string> {
  /** The new action. */
  action: A;
}

/** Options of {@link ModeClient.listSpaces}. */
export interface ListSpacesOptions {
  /** `all`: also other members' personal collections (`?filter=all`). */
  filter?: "all";
}

/**
 * Client of the Mode HAL+JSON API (HTTP Basic auth). One method per endpoint; arguments are checked
 * and path segments encoded before any request; failures are {@link ApiError}s.
 */
export class ModeClient {
  private readonly http: Transport;

  /** Checks the options (non-empty token/secret, URL rules) and builds the client; throws ApiError invalid_argument. */
  constructor(options: ModeClientOptions) {
    if (options == null || typeof options !== "object") {
      throw invalidArgument("mode", "", "", "options must be an object");
    }
    const token = checkCredential("mode", "token", options.token, true);
    const secret = checkCredential("mode", "secret", options.secret);
    const basic = "Basic " + Buffer.from(`${token}:${secret}`).toString("base64");
    const { apiUrl, token: _t, secret: _s, ...rest } = options;
    this.http = new Transport(
      "mode",
      { ...rest, baseUrl: apiUrl },
      {
        authorization: basic,
        accept: "application/hal+json",
        contentType: "application/json",
        secrets: [secret, token, basic, basic.slice("Basic ".length)],
        errorMessage: modeErrorMessage,
      },
    );
    Object.defineProperty(this, "http", { enumerable: false });
  }

  /** The normalised base URL. */
  get apiUrl(): string {
    return this.http.baseUrl;
  }

  /** `POST /{workspace}/invites`: invites an email to the workspace (re-inviting a pending email returns the same invite with `resent_at`). */
  async createInvite(workspace: string, invite: ModeInviteInput): Promise<ModeInvite> {
    const a = new ArgChecker("mode", "POST", "/{workspace}/invites");
    const ws = a.segment("workspace", workspace, RULES.accountName);
    if (invite == null || typeof invite !== "object") a.fail("invite", "must be an object");
    const email = a.email("invite.email", invite.email);
    const message = a.rule("invite.message", invite.message, RULES.inviteMessage);
    const res = await this.http.request<ModeInvite>({
      method: "POST",
      path: `/${ws}/invites`,
      body: { invite: { invitee: { email }, message } },
      validator: validators.modeInvite,
    });
    return res.body;
  }

  /**
   * `GET /{workspace}/memberships`: every member, from every page (`_links.next_page`), yielded only
   * once the whole listing is read and its count verified (see ./pages).
   */
  async *listMemberships(workspace: string): AsyncIterableIterator<WorkspaceMembership> {
    const a = new ArgChecker("mode", "GET", "/{workspace}/memberships");
    const path = `/${a.segment("workspace", workspace, RULES.accountName)}/memberships`;
    yield* await this.list("memberships", { path }, validators.workspaceMemberships, (e) => e.memberships);
  }

  /** `GET /{workspace}/memberships/{membership}` (membership token == `member_token`). */
  async getMembership(workspace: string, membership: string): Promise<WorkspaceMembership> {
    const a = new ArgChecker("mode", "GET", "/{workspace}/memberships/{membership}");
    const path = `/${a.segment("workspace", workspace, RULES.accountName)}/memberships/${a.segment("membership", membership, RULES.token)}`;
    return (await this.http.request({ method: "GET", path, validator: validators.workspaceMembership })).body;
  }

  /** `DELETE /{workspace}/memberships/{membership}`: removes the member; returns the deleted membership. */
  async deleteMembership(workspace: string, membership: string): Promise<WorkspaceMembership> {
    const a = new ArgChecker("mode", "DELETE", "/{workspace}/memberships/{membership}");
    const path = `/${a.segment("workspace", workspace, RULES.accountName)}/memberships/${a.segment("membership", membership, RULES.token)}`;
    return (await this.http.request({ method: "DELETE", path, validator: validators.workspaceMembership }))
      .body;
  }

  /**
   * `GET /{account}/spaces/{space}/memberships` (deprecated endpoint): every member of the space,
   * yielded only once the whole listing is read and verified (items under `memberships` or
   * `space_memberships`).
   */
  async *listSpaceMemberships(account: string, space: string): AsyncIterableIterator<SpaceMembership> {
    const a = new ArgChecker("mode", "GET", "/{account}/spaces/{space}/memberships");
    const path = `/${a.segment("account", account, RULES.accountName)}/spaces/${a.segment("space", space, RULES.token)}/memberships`;
    const pick = (e: { memberships?: SpaceMembership[]; space_memberships?: SpaceMembership[] }) =>
      e.memberships ?? e.space_memberships;
    yield* await this.list("space memberships", { path }, validators.spaceMemberships, pick);
  }

  /** `GET /{account}/spaces/{space}/memberships/{membership}`. */
  async getSpaceMembership(account: string, space: string, membership: string): Promise<SpaceMembership> {
    const path = this.spaceMembershipPath("GET", account, space, membership);
    return (await this.http.request({ method: "GET", path, validator: validators.spaceMembership })).body;
  }

  /** `POST /{account}/spaces/{space}/memberships`: adds a user or user group (the same member twice is a 400). */
  async createSpaceMembership(
    account: string,
    space: string,
    m: SpaceMembershipInput,
  ): Promise<SpaceMembership> {
    const a = new ArgChecker("mode", "POST", "/{account}/spaces/{space}/memberships");
    const path = `/${a.segment("account", account, RULES.accountName)}/spaces/${a.segment("space", space, RULES.token)}/memberships`;
    if (m == null || typeof m !== "object") a.fail("membership", "must be an object");
    const memberType = a.oneOf("memberType", m.memberType, MEMBER_TYPES);
    const memberToken = a.rule("memberToken", m.memberToken, RULES.token);
    const res = await this.http.request({
      method: "POST",
      path,
      body: { membership: { member_type: memberType, member_token: memberToken } },
      validator: validators.spaceMembership,
    });
    return res.body;
  }

  /** `DELETE /{account}/spaces/{space}/memberships/{membership}`: returns the deleted object; a second delete is 404. */
  async deleteSpaceMembership(account: string, space: string, membership: string): Promise<SpaceMembership> {
    const path = this.spaceMembershipPath("DELETE", account, space, membership);
    return (await this.http.request({ method: "DELETE", path, validator: validators.spaceMembership })).body;
  }

  /**
   * Every item of the Mode list at `path` (all pages, verified; ./pages): `validator` checks each page,
   * items included, and `pick` finds the items under `_embedded` (by key, or `theOneArray`).
   */
  private list<P extends ModeListPage, T>(
    noun: string,
    first: PageRequest,
    validator: ValidateFunction<P>,
    pick: (embedded: NonNullable<P["_embedded"]>) => T[] | undefined,
  ): Promise<T[]> {
    return readAll(this.http, modeList(noun, first, validator, pick));
  }

  private spaceMembershipPath(method: string, account: string, space: string, membership: string): string {
    const a = new ArgChecker("mode", method, "/{account}/spaces/{space}/memberships/{membership}");
    return `/${a.segment("account", account, RULES.accountName)}/spaces/${a.segment("space", space, RULES.token)}/memberships/${a.segment("membership", membership, RULES.token)}`;
  }

  // ---- Groups, collections and their permissions (API-CONTRACT.md) ---------------------------------

  /** `GET /{workspace}/groups`: the workspace's active groups (every page; soft-deleted ones are left out by Mode). */
  async *listGroups(workspace: string): AsyncIterableIterator<UserGroup> {
    const { path } = this.at("GET", "/{workspace}/groups", { workspace });
    yield* await this.list("groups", { path }, accessValidators.userGroups, (e) => e.groups);
  }

  /** `GET /{workspace}/groups/{group}`: a group, also after its delete (then `state: "soft_deleted"`). */
  async getGroup(workspace: string, group: string): Promise<UserGroup> {
    const { path } = this.at("GET", "/{workspace}/groups/{group}", { workspace, group });
    return (await this.http.request({ method: "GET", path, validator: accessValidators.userGroup })).body;
  }

  /** `POST /{workspace}/groups`: creates a group; a name an active group has (any case) is a 400. */
  async createGroup(workspace: string, group: GroupInput): Promise<UserGroup> {
    const { a, path } = this.at("POST", "/{workspace}/groups", { workspace });
    const name = a.rule("group.name", objectArg(a, "group", group).name, RULES.groupName);
    const body = { user_group: { name } };
    return (await this.http.request({ method: "POST", path, body, validator: accessValidators.userGroup }))
      .body;
  }

  /** `PATCH /{workspace}/groups/{group}`: renames a group (a taken name is a 400; a managed group's too). */
  async updateGroup(workspace: string, group: string, update: GroupInput): Promise<UserGroup> {
    const { a, path } = this.at("PATCH", "/{workspace}/groups/{group}", { workspace, group });
    const name = a.rule("update.name", objectArg(a, "update", update).name, RULES.groupName);
    const body = { user_group: { name } };
    return (await this.http.request({ method: "PATCH", path, body, validator: accessValidators.userGroup }))
      .body;
  }

  /**
   * `DELETE /{workspace}/groups/{group}`: answers 200 with the group. Mode's quirk: a group whose name
   * an earlier deleted group had stays `active`; read it back to know (provider/collections/groups.ts).
   */
  async deleteGroup(workspace: string, group: string): Promise<UserGroup> {
    const { path } = this.at("DELETE", "/{workspace}/groups/{group}", { workspace, group });
    return (await this.http.request({ method: "DELETE", path, validator: accessValidators.userGroup })).body;
  }

  /** `GET /{workspace}/groups/{group}/memberships`: every member of the group (every page). */
  async *listGroupMemberships(workspace: string, group: string): AsyncIterableIterator<UserGroupMembership> {
    const { path } = this.at("GET", "/{workspace}/groups/{group}/memberships", { workspace, group });
    yield* await this.list(
      "group memberships",
      { path },
      accessValidators.userGroupMemberships,
      (e) => e.group_memberships,
    );
  }

  /** `GET /{workspace}/groups/{group}/memberships/{membership}` (the membership's own token). */
  async getGroupMembership(
    workspace: string,
    group: string,
    membership: string,
  ): Promise<UserGroupMembership> {
    const { path } = this.at("GET", "/{workspace}/groups/{group}/memberships/{membership}", {
      workspace,
      group,
      membership,
    });
    return (await this.http.request({ method: "GET", path, validator: accessValidators.userGroupMembership }))
      .body;
  }

  /**
   * `POST /{workspace}/groups/{group}/memberships`: adds a workspace member (by user token). The same
   * member twice is a 400, and so is any change to a group the identity provider manages.
   */
  async createGroupMembership(
    workspace: string,
    group: string,
    membership: GroupMembershipInput,
  ): Promise<UserGroupMembership> {
    const { a, path } = this.at("POST", "/{workspace}/groups/{group}/memberships", { workspace, group });
    const memberToken = a.rule(
      "membership.memberToken",
      objectArg(a, "membership", membership).memberToken,
      RULES.token,
    );
    const body = { membership: { member_token: memberToken } };
    const res = await this.http.request({
      method: "POST",
      path,
      body,
      validator: accessValidators.userGroupMembership,
    });
    return res.body;
  }

  /** `DELETE /{workspace}/groups/{group}/memberships/{membership}`: 200 with the membership, then 404. */
  async deleteGroupMembership(
    workspace: string,
    group: string,
    membership: string,
  ): Promise<UserGroupMembership> {
    const { path } = this.at("DELETE", "/{workspace}/groups/{group}/memberships/{membership}", {
      workspace,
      group,
      membership,
    });
    const res = await this.http.request({
      method: "DELETE",
      path,
      validator: accessValidators.userGroupMembership,
    });
    return res.body;
  }

  /**
   * `GET /{workspace}/spaces[?filter=all]`: the workspace's collections (every page). Without
   * `filter: "all"` other members' personal collections are left out.
   */
  async *listSpaces(workspace: string, options: ListSpacesOptions = {}): AsyncIterableIterator<Space> {
    const { a, path } = this.at("GET", "/{workspace}/spaces", { workspace });
    if (options == null || typeof options !== "object") a.fail("options", "must be an object");
    const filter =
      options.filter === undefined ? undefined : a.oneOf("options.filter", options.filter, ["all"]);
    const first: PageRequest = filter === undefined ? { path } : { path, query: { filter } };
    yield* await this.list("collections", first, accessValidators.spaces, (e) => e.spaces);
  }

  /** `GET /{workspace}/spaces/{space}`. Mode's quirk: a deleted collection answers 403, not 404. */
  async getSpace(workspace: string, space: string): Promise<Space> {
    const { path } = this.at("GET", "/{workspace}/spaces/{space}", { workspace, space });
    return (await this.http.request({ method: "GET", path, validator: accessValidators.space })).body;
  }

  /** `POST /{workspace}/spaces`: creates a custom collection (names are not unique: each call makes one). */
  async createSpace(workspace: string, space: SpaceInput): Promise<Space> {
    const { a, path } = this.at("POST", "/{workspace}/spaces", { workspace });
    const input = objectArg(a, "space", space);
    const body = {
      space: {
        name: a.rule("space.name", input.name, RULES.collectionName),
        description:
          input.description === undefined
            ? ""
            : a.rule("space.description", input.description, RULES.collectionDescription),
        ...(input.defaultAccessLevel === undefined
          ? {}
          : {
              default_access_level: a.oneOf(
                "space.defaultAccessLevel",
                input.defaultAccessLevel,
                DEFAULT_ACCESS_LEVELS,
              ),
            }),
      },
    };
    return (await this.http.request({ method: "POST", path, body, validator: accessValidators.space })).body;
  }

  /** `PATCH /{workspace}/spaces/{space}`: changes the given fields (at least one) of a collection. */
  async updateSpace(workspace: string, space: string, update: SpaceUpdate): Promise<Space> {
    const { a, path } = this.at("PATCH", "/{workspace}/spaces/{space}", { workspace, space });
    const input = objectArg(a, "update", update);
    const fields: Record<string, string> = {};
    if (input.name !== undefined) fields.name = a.rule("update.name", input.name, RULES.collectionName);
    if (input.description !== undefined)
      fields.description = a.rule("update.description", input.description, RULES.collectionDescription);
    if (input.defaultAccessLevel !== undefined)
      fields.default_access_level = a.oneOf(
        "update.defaultAccessLevel",
        input.defaultAccessLevel,
        DEFAULT_ACCESS_LEVELS,
      );
    if (Object.keys(fields).length === 0)
      a.fail("update", "must set at least one of name, description, defaultAccessLevel");
    const body = { space: fields };
    return (await this.http.request({ method: "PATCH", path, body, validator: accessValidators.space })).body;
  }

  /** `DELETE /{workspace}/spaces/{space}`: 200 with the collection; afterwards its path answers 403 (Mode's quirk). */
  async deleteSpace(workspace: string, space: string): Promise<Space> {
    const { path } = this.at("DELETE", "/{workspace}/spaces/{space}", { workspace, space });
    return (await this.http.request({ method: "DELETE", path, validator: accessValidators.space })).body;
  }

  /** `GET /{workspace}/spaces/{space}/permissions`: every grant on the collection (the one array under `_embedded`). */
  listSpacePermissions(workspace: string, space: string): AsyncIterableIterator<Permission> {
    return this.listPermissions(SPACE_PERMISSIONS, workspace, space);
  }

  /** `GET /{workspace}/spaces/{space}/permissions/{permission}`. */
  getSpacePermission(workspace: string, space: string, permission: string): Promise<Permission> {
    return this.permissionCall(SPACE_PERMISSIONS, "GET", workspace, space, permission);
  }

  /** `POST /{workspace}/spaces/{space}/permissions`: grants `view` or `edit`; a second grant to the same accessor is a 400. */
  createSpacePermission(
    workspace: string,
    space: string,
    permission: PermissionInput<CollectionAction>,
  ): Promise<Permission> {
    return this.createPermission(SPACE_PERMISSIONS, workspace, space, permission);
  }

  /** `PATCH /{workspace}/spaces/{space}/permissions/{permission}`: changes the action. */
  updateSpacePermission(
    workspace: string,
    space: string,
    permission: string,
    update: PermissionUpdate<CollectionAction>,
  ): Promise<Permission> {
    return this.permissionCall(SPACE_PERMISSIONS, "PATCH", workspace, space, permission, update);
  }

  /** `DELETE /{workspace}/spaces/{space}/permissions/{permission}`: 200 with the permission, then 404. */
  deleteSpacePermission(workspace: string, space: string, permission: string): Promise<Permission> {
    return this.permissionCall(SPACE_PERMISSIONS, "DELETE", workspace, space, permission);
  }

  /** `GET /{workspace}/data_sources`: the workspace's database connections (every page). */
  async *listDataSources(workspace: string): AsyncIterableIterator<DataSource> {
    const { path } = this.at("GET", "/{workspace}/data_sources", { workspace });
    yield* await this.list("data sources", { path }, accessValidators.dataSources, (e) => e.data_sources);
  }

  /** `GET /{workspace}/data_sources/{data_source}`. */
  async getDataSource(workspace: string, dataSource: string): Promise<DataSource> {
    const { path } = this.at("GET", "/{workspace}/data_sources/{data_source}", {
      workspace,
      data_source: dataSource,
    });
    return (await this.http.request({ method: "GET", path, validator: accessValidators.dataSource })).body;
  }

  /** `GET /{workspace}/data_sources/{data_source}/permissions`: every grant on the data source. */
  listDataSourcePermissions(workspace: string, dataSource: string): AsyncIterableIterator<Permission> {
    return this.listPermissions(DATA_SOURCE_PERMISSIONS, workspace, dataSource);
  }

  /**
   * `GET /{workspace}/data_sources/{data_source}/permissions/{permission}`. Mode can answer 500 here
   * while the list works, so a 500 is thrown at once, not retried: read the list instead.
   */
  getDataSourcePermission(workspace: string, dataSource: string, permission: string): Promise<Permission> {
    return this.permissionCall(
      DATA_SOURCE_PERMISSIONS,
      "GET",
      workspace,
      dataSource,
      permission,
      undefined,
      [500],
    );
  }

  /** `POST /{workspace}/data_sources/{data_source}/permissions`: grants `view`, `query` or `manage`; a second grant to the same accessor is a 400. */
  createDataSourcePermission(
    workspace: string,
    dataSource: string,
    permission: PermissionInput<DataSourceAction>,
  ): Promise<Permission> {
    return this.createPermission(DATA_SOURCE_PERMISSIONS, workspace, dataSource, permission);
  }

  /** `PATCH /{workspace}/data_sources/{data_source}/permissions/{permission}`: changes the action. */
  updateDataSourcePermission(
    workspace: string,
    dataSource: string,
    permission: string,
    update: PermissionUpdate<DataSourceAction>,
  ): Promise<Permission> {
    return this.permissionCall(DATA_SOURCE_PERMISSIONS, "PATCH", workspace, dataSource, permission, update);
  }

  /** `DELETE /{workspace}/data_sources/{data_source}/permissions/{permission}`: 200 with the permission, then 404. */
  deleteDataSourcePermission(workspace: string, dataSource: string, permission: string): Promise<Permission> {
    return this.permissionCall(DATA_SOURCE_PERMISSIONS, "DELETE", workspace, dataSource, permission);
  }

  /**
   * Checks every `{name}` of `template` (`workspace` as a Mode username, every other one as a token)
   * and returns the path with each value percent-encoded, plus the checker for the body's arguments.
   */
  private at(
    method: string,
    template: string,
    values: Record<string, unknown>,
  ): { a: ArgChecker; path: string } {
    const a = new ArgChecker("mode", method, template);
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      a.segment(name, values[name], name === "workspace" ? RULES.accountName : RULES.token),
    );
    return { a, path };
  }

  private async *listPermissions(
    target: PermissionTarget,
    workspace: string,
    parent: string,
  ): AsyncIterableIterator<Permission> {
    const { path } = this.at("GET", target.template, { workspace, [target.parent]: parent });
    yield* await this.list(target.noun, { path }, accessValidators.permissions, (e) => theOneArray(e));
  }

  private async createPermission(
    target: PermissionTarget,
    workspace: string,
    parent: string,
    permission: PermissionInput<string>,
  ): Promise<Permission> {
    const { a, path } = this.at("POST", target.template, { workspace, [target.parent]: parent });
    const input = objectArg(a, "permission", permission);
    const body = {
      permission: {
        action: a.oneOf("permission.action", input.action, target.actions),
        accessor_type: a.oneOf("permission.accessorType", input.accessorType, ACCESSOR_TYPES),
        accessor_token: a.rule("permission.accessorToken", input.accessorToken, RULES.token),
      },
    };
    return (await this.http.request({ method: "POST", path, body, validator: accessValidators.permission }))
      .body;
  }

  /** GET, PATCH (with `update`) or DELETE of one permission of a collection or data source. */
  private async permissionCall(
    target: PermissionTarget,
    method: "GET" | "PATCH" | "DELETE",
    workspace: string,
    parent: string,
    permission: string,
    update?: PermissionUpdate<string>,
    notRetried?: readonly number[],
  ): Promise<Permission> {
    const { a, path } = this.at(method, `${target.template}/{permission}`, {
      workspace,
      [target.parent]: parent,
      permission,
    });
    const body =
      method === "PATCH"
        ? {
            permission: {
              action: a.oneOf("update.action", objectArg(a, "update", update).action, target.actions),
            },
          }
        : undefined;
    return (
      await this.http.request({ method, path, body, validator: accessValidators.permission, notRetried })
    ).body;
  }
}

/** Where the permissions of one kind of target are, and what they allow. */
interface PermissionTarget {
  /** Path template of the list, e.g. `/{workspace}/spaces/{space}/permissions`. */
  template: string;
  /** The template's name for the parent's token. */
  parent: string;
  /** The actions a permission of this target may carry. */
  actions: readonly string[];
  /** What the items are, for messages. */
  noun: string;
}

const SPACE_PERMISSIONS: PermissionTarget = {
  template: "/{workspace}/spaces/{space}/permissions",
  parent: "space",
  actions: COLLECTION_ACTIONS,
  noun: "collection permissions",
};

const DATA_SOURCE_PERMISSIONS: PermissionTarget = {
  template: "/{workspace}/data_sources/{data_source}/permissions",
  parent: "data_source",
  actions: DATA_SOURCE_ACTIONS,
  noun: "data-source permissions",
};

/** Checks that an argument is an object (so its fields can be checked) and returns it. */
function objectArg<T>(a: ArgChecker, name: string, value: T | undefined): T {
  if (value == null || typeof value !== "object") a.fail(name, "must be an object");
  return value;
}

/** The server's words from a Mode error body: a published one (`{id, message}`), else any `message` or `id`. */
function modeErrorMessage(body: unknown): string | undefined {
  if (validators.modeError(body)) return body.message || body.id.replace(/_/g, " ");
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const { id, message } = body as { id?: unknown; message?: unknown };
    if (typeof message === "string" && message !== "") return message;
    if (typeof id === "string" && id !== "") return id.replace(/_/g, " ");
  }
  if (body && typeof body === "object" && "errors" in body) {
    const errs = (body as { errors: unknown }).errors;
    if (Array.isArray(errs)) return errs.filter((e) => typeof e === "string").join("; ") || undefined;
  }
  return undefined;
}
