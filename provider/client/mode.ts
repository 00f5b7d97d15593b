import { MEMBER_TYPES, RULES } from "../rules";
import { ArgChecker, checkCredential } from "./args";
import { invalidArgument } from "./errors";
import { Transport, type TransportOptions } from "./http";
import { modeList, readAll, type ModeListPage } from "./pages";
import { validators, type ModeInvite, type SpaceMembership, type WorkspaceMembership } from "./schemas";
import type { ValidateFunction } from "ajv";

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
    yield* await this.list("memberships", path, validators.workspaceMemberships, (e) => e.memberships);
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
    yield* await this.list("space memberships", path, validators.spaceMemberships, pick);
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
    path: string,
    validator: ValidateFunction<P>,
    pick: (embedded: NonNullable<P["_embedded"]>) => T[] | undefined,
  ): Promise<T[]> {
    return readAll(this.http, modeList(noun, { path }, validator, pick));
  }

  private spaceMembershipPath(method: string, account: string, space: string, membership: string): string {
    const a = new ArgChecker("mode", method, "/{account}/spaces/{space}/memberships/{membership}");
    return `/${a.segment("account", account, RULES.accountName)}/spaces/${a.segment("space", space, RULES.token)}/memberships/${a.segment("membership", membership, RULES.token)}`;
  }
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
