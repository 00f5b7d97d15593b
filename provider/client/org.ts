import { INVITE_ROLES, RULES } from "../rules";
import { ArgChecker, checkCredential } from "./args";
import { invalidArgument } from "./errors";
import { Transport, type PageRequest, type TransportOptions } from "./http";
import { readAll } from "./pages";
import { validators, type OrgInvite, type OrgInviteListDocument } from "./schemas";

/** Options of {@link OrgClient}. The base URL has no default: it must be configured. */
export interface OrgClientOptions extends Omit<TransportOptions, "baseUrl"> {
  /** Base URL of the organization-invites API (paths `/api/v2/organizations/...` are appended). */
  apiUrl: string;
  /** Bearer token of the organization. */
  token: string;
}

/** Body of an organization invite. */
export interface OrgInviteInput {
  /** The recipient's email address. */
  recipientEmail: string;
  /** `admin` to make the recipient an admin on acceptance; omit for a regular member. */
  inviteUserAs?: "admin";
}

/** Options of {@link OrgClient.listInvites}. */
export interface ListOrgInvitesOptions {
  /** Only invites of this kind (`filter[invite_user_as]`). */
  inviteUserAs?: "admin";
  /** Page size, 1..100 (server default 25). */
  perPage?: number;
}

const INVITE_TYPE = "organization_invites";

/**
 * Client of the organization-invites JSON:API (Bearer auth, `application/vnd.api+json` both ways).
 * One method per endpoint; arguments are checked and path segments encoded before any request.
 */
export class OrgClient {
  private readonly http: Transport;

  /** Checks the options (non-empty token, URL rules) and builds the client; throws ApiError invalid_argument. */
  constructor(options: OrgClientOptions) {
    if (options == null || typeof options !== "object")
      throw invalidArgument("org", "", "", "options must be an object");
    const token = checkCredential("org", "token", options.token);
    const { apiUrl, token: _t, ...rest } = options;
    const authorization = `Bearer ${token}`;
    this.http = new Transport(
      "org",
      { ...rest, baseUrl: apiUrl },
      {
        authorization,
        accept: "application/vnd.api+json",
        contentType: "application/vnd.api+json",
        secrets: [token, authorization],
        errorMessage: jsonApiErrorMessage,
      },
    );
    Object.defineProperty(this, "http", { enumerable: false });
  }

  /** The normalised base URL. */
  get apiUrl(): string {
    return this.http.baseUrl;
  }

  /**
   * `GET /api/v2/organizations/{org}/invites`: every invite, following `links.next`, else
   * `page`/`total_pages`; yielded only once the whole listing is read and its count
   * (`meta.pagination.total_count`) verified (see ./pages).
   */
  async *listInvites(
    organizationId: string,
    options?: ListOrgInvitesOptions,
  ): AsyncIterableIterator<OrgInvite> {
    const a = new ArgChecker("org", "GET", "/api/v2/organizations/{organization}/invites");
    const opts = options ?? {};
    const path = `/api/v2/organizations/${a.segment("organizationId", organizationId, RULES.token)}/invites`;
    const query: Record<string, string | number | undefined> = {};
    if (opts.inviteUserAs !== undefined)
      query["filter[invite_user_as]"] = a.oneOf("inviteUserAs", opts.inviteUserAs, INVITE_ROLES);
    if (opts.perPage !== undefined) query.per_page = a.intRange("perPage", opts.perPage, 1, 100);
    yield* await readAll(this.http, {
      noun: "organization invites",
      first: { path, query },
      validator: validators.orgInviteListDocument,
      items: (doc) => doc.data,
      next: (doc) => nextPage(doc, path, query),
      total: (doc) => doc.meta?.pagination?.total_count,
    });
  }

  /** `POST /api/v2/organizations/{org}/invites` (201). A pending invite for the same email is a 422. */
  async createInvite(organizationId: string, invite: OrgInviteInput): Promise<OrgInvite> {
    const a = new ArgChecker("org", "POST", "/api/v2/organizations/{organization}/invites");
    const path = `/api/v2/organizations/${a.segment("organizationId", organizationId, RULES.token)}/invites`;
    if (invite == null || typeof invite !== "object") a.fail("invite", "must be an object");
    const attributes: Record<string, string> = {
      recipient_email: a.email("recipientEmail", invite.recipientEmail),
    };
    if (invite.inviteUserAs !== undefined)
      attributes.invite_user_as = a.oneOf("inviteUserAs", invite.inviteUserAs, INVITE_ROLES);
    const res = await this.http.request({
      method: "POST",
      path,
      body: { data: { type: INVITE_TYPE, attributes } },
      validator: validators.orgInviteDocument,
    });
    return res.body.data;
  }

  /** `GET /api/v2/organizations/{org}/invites/{id}`. A cancelled invite stays readable with `cancelled_by_user` set. */
  async getInvite(organizationId: string, inviteId: string): Promise<OrgInvite> {
    const path = this.invitePath("GET", organizationId, inviteId);
    return (await this.http.request({ method: "GET", path, validator: validators.orgInviteDocument })).body
      .data;
  }

  /** `DELETE /api/v2/organizations/{org}/invites/{id}` (204). */
  async deleteInvite(organizationId: string, inviteId: string): Promise<void> {
    const path = this.invitePath("DELETE", organizationId, inviteId);
    await this.http.request({ method: "DELETE", path });
  }

  /** `PUT /api/v2/organizations/{org}/invites/{id}/accept` with the invite's code (a wrong code or a second accept is 422). */
  async acceptInvite(organizationId: string, inviteId: string, code: string): Promise<OrgInvite> {
    const a = new ArgChecker("org", "PUT", "/api/v2/organizations/{organization}/invites/{invite}/accept");
    const path = `${this.invitePath("PUT", organizationId, inviteId)}/accept`;
    const c = a.rule("code", code, RULES.inviteCode, true);
    const res = await this.http.request({
      method: "PUT",
      path,
      body: { data: { type: INVITE_TYPE, attributes: { code: c } } },
      validator: validators.orgInviteDocument,
      secrets: [c],
    });
    return res.body.data;
  }

  private invitePath(method: string, organizationId: string, inviteId: string): string {
    const a = new ArgChecker("org", method, "/api/v2/organizations/{organization}/invites/{invite}");
    return `/api/v2/organizations/${a.segment("organizationId", organizationId, RULES.token)}/invites/${a.segment("inviteId", inviteId, RULES.token)}`;
  }
}

/** The page after `doc`: `links.next` (string or `{href}`), else `page + 1` while `page < total_pages`. */
function nextPage(
  doc: OrgInviteListDocument,
  path: string,
  query: Record<string, string | number | undefined>,
): string | PageRequest | undefined {
  const link = doc.links?.next;
  const href = typeof link === "string" ? link : link && typeof link === "object" ? link.href : undefined;
  if (href) return href;
  const p = doc.meta?.pagination;
  if (
    p &&
    typeof p.page === "number" &&
    typeof p.total_pages === "number" &&
    p.page < p.total_pages &&
    doc.data.length > 0
  ) {
    return { path, query: { ...query, page: p.page + 1 } };
  }
  return undefined;
}

function jsonApiErrorMessage(body: unknown): string | undefined {
  if (!validators.jsonApiError(body)) {
    if (body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") {
      return (body as { message: string }).message;
    }
    return undefined;
  }
  const parts = body.errors.map((e) => {
    const text = e.detail ?? e.title ?? (e.status !== undefined ? `status ${e.status}` : "error");
    const pointer = e.source?.pointer;
    const field = pointer ? pointer.split("/").filter(Boolean).pop() : undefined;
    return field ? `${field}: ${text} (${pointer})` : text;
  });
  // Invite codes are long hex strings; never let one through an error.
  return parts.join("; ").replace(/\b[0-9a-f]{32,}\b/gi, "[REDACTED]") || undefined;
}
