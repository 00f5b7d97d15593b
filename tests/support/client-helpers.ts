import http from "http";
import type { AddressInfo } from "net";

/** One request the scripted server saw. */
export interface SeenRequest {
  method: string;
  /** Raw request target, exactly as sent (not decoded). */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Epoch ms of arrival. */
  at: number;
}

/** What the scripted server answers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent verbatim; anything else as JSON. */
  body?: unknown;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
  /** Wait before answering. */
  delayMs?: number;
}

/** A tiny scripted HTTP server on 127.0.0.1, port 0. */
export interface ScriptServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every request, in order of arrival. */
  requests: SeenRequest[];
  /** Highest number of requests being answered at the same time. */
  maxConcurrent: number;
  /** Replaces the handler. */
  handle(fn: (req: SeenRequest, index: number) => Reply | Promise<Reply>): void;
  close(): Promise<void>;
}

/** Starts a scripted server; the handler gets each request and its index. */
export async function startScript(
  fn: (req: SeenRequest, index: number) => Reply | Promise<Reply> = () => ({ status: 200, body: {} }),
): Promise<ScriptServer> {
  let handler = fn;
  let concurrent = 0;
  const state: ScriptServer = {
    origin: "",
    requests: [],
    maxConcurrent: 0,
    handle(f) {
      handler = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      const index = state.requests.length;
      state.requests.push(seen);
      concurrent++;
      state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
      void (async () => {
        try {
          const reply = await handler(seen, index);
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          if (reply.drop) {
            req.socket.destroy();
            return;
          }
          const body =
            reply.body === undefined
              ? ""
              : typeof reply.body === "string"
                ? reply.body
                : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, {
            "Content-Type": "application/json",
            ...(reply.headers ?? {}),
          });
          res.end(body);
        } catch (e) {
          res.writeHead(599);
          res.end(String(e));
        } finally {
          concurrent--;
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A sleep that records the requested delays and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

/** Collects an async iterator into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Awaits a promise that must reject; returns the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A valid workspace membership object for scripted responses. */
export function membership(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    admin: false,
    invited: false,
    state: "active",
    member_username: `user${n}`,
    member_token: `tok${n}`,
    activated_at: "2024-01-01T00:00:00Z",
    _links: {
      self: { href: `/api/acme/memberships/tok${n}`, templated: false },
      web_self: { href: `/organizations/acme/memberships/tok${n}`, templated: false },
      organization: { href: "/api/acme", templated: false },
      groups: { href: `/api/acme/memberships/tok${n}/groups`, templated: false },
    },
    ...extra,
  };
}

/** A valid workspace invite object (swagger: Invite) for scripted responses. */
export function invite(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email,
    message: "hi",
    inviter_id: 1,
    invitee_id: 2,
    organization_id: 3,
    limited: false,
    created_at: "2024-01-01T00:00:00Z",
    sent_at: "2024-01-01T00:00:00Z",
    resent_at: null,
    clicked_at: null,
    accepted_at: null,
    expires_at: "2024-01-08T00:00:00Z",
    _links: {
      inviter: { href: "/api/admin" },
      invitee: { href: "/api/ada" },
      web_self_resend: { href: "/organizations/acme/invites/1/resend" },
    },
    _embedded: {},
    ...extra,
  };
}

/**
 * A page of a Mode list as published: `_links.self` (+ `next_page` when `next` is given), a
 * `pagination` object counting `total` items, and `items` under `_embedded[key]`.
 */
export function modePage(
  items: unknown[],
  o: { next?: string; total?: number; key?: string; self?: string } = {},
): Record<string, unknown> {
  const links: Record<string, unknown> = { self: { href: o.self ?? "/api/acme/memberships" } };
  if (o.next !== undefined) links.next_page = { href: o.next };
  return {
    pagination: {
      first_page: "/api/acme/memberships?page=1",
      last_page: "/api/acme/memberships?page=1",
      total_pages: 1,
      total_count: o.total ?? items.length,
    },
    _links: links,
    _embedded: { [o.key ?? "memberships"]: items },
  };
}

/** A valid space membership object. */
export function spaceMembership(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: `sm${n}`,
    member_token: `tok${n}`,
    member_type: "User",
    member_id: n,
    email: `user${n}@example.com`,
    _links: {
      self: { href: `/api/acme/spaces/s1/memberships/sm${n}` },
      member: { href: `/api/user${n}` },
      creator: { href: "/api/admin" },
    },
    ...extra,
  };
}

/** A valid organization invite resource object. */
export function orgInvite(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: "organization_invites",
    attributes: {
      accepted_at: "-4712-01-01T00:00:00Z",
      code: "c0de".repeat(16),
      created_at: "2024-01-01T00:00:00Z",
      invite_user_as: null,
      recipient_email: `${id}@example.com`,
      updated_at: "2024-01-01T00:00:00Z",
      updated_in_db_at: "2024-01-01T00:00:00Z",
      ...extra,
    },
    relationships: {
      accepted_by_user: { data: null },
      cancelled_by_user: { data: null },
      invited_by_user: { data: { id: "u1", type: "users" } },
    },
  };
}
