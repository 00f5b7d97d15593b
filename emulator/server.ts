/**
 * The HTTP server: dispatches `/mode/api/...`, `/org/...`, `/_control/...` and `/_docs/...`, applies
 * latency, the rate limit and injected faults to API requests, counts them, runs the handler, saves
 * the state and writes (or deliberately drops) the reply. A throwing handler becomes a 500 in the
 * API's error shape; the server keeps running.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { allControlRoutes } from "./access-control";
import { ControlDeps, controlBody, controlErrorReply } from "./control-routes";
import { Faults, RateLimiter, RequestLog, malform } from "./faults";
import {
  ApiError,
  ApiKind,
  BaseUrls,
  Handler,
  Reply,
  Route,
  controlJson,
  matchRoute,
  parseTarget,
  readBody,
  renderError,
} from "./http";
import { deprecationHeaders, isSpaceMembershipPattern, modeRoutes } from "./mode-routes";
import { orgRoutes } from "./org-routes";
import { Store } from "./store";

/** Everything the server needs. */
export interface ServerOptions {
  /** The state. */
  store: Store;
  /** Page size of Mode collections. */
  modePageSize: number;
  /** Initial fault settings. */
  faults: Faults;
  /** Sink for log lines (never given secrets: only method, route name, status, duration). */
  log?: (line: string) => void;
}

const DEPRECATION_DOC =
  "The Mode Space Memberships endpoints (/{account}/spaces/{space}/memberships) are deprecated since " +
  "2025-09-30. Manage access to collections with Mode's collection permissions API instead:\n" +
  "https://mode.com/developer/api-reference/management/collection-permissions/\n";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The route tables the server dispatches, per API. The control interface lists exactly these
 * (`GET /_control/routes`), so a test can prove it covers every route the server serves.
 */
export const API_ROUTES: Readonly<Record<ApiKind, Route<Handler>[]>> = { mode: modeRoutes, org: orgRoutes };

/** The emulator's HTTP server. */
export class EmulatorServer implements ControlDeps {
  /** The node HTTP server. */
  readonly http: Server;
  /** The state. */
  readonly store: Store;
  /** Fault settings. */
  readonly faults: Faults;
  /** Request log of the API routes. */
  readonly log = new RequestLog();
  /** Base URLs, known once listening. */
  urls: BaseUrls = { origin: "", mode: "", org: "" };
  /** The route tables dispatched, per API. */
  readonly routes = API_ROUTES;
  private limiter: RateLimiter | null = null;

  /** Creates the (not yet listening) server. */
  constructor(private readonly options: ServerOptions) {
    this.store = options.store;
    this.faults = options.faults;
    this.onFaultsChanged();
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => this.fail(res, e));
    });
  }

  /** Rebuilds the rate limiter from the fault configuration. */
  onFaultsChanged(): void {
    const r = this.faults.config.rateLimit;
    this.limiter = r > 0 ? new RateLimiter(r) : null;
  }

  private fail(res: ServerResponse, e: unknown): void {
    this.options.log?.(`internal error: ${e instanceof Error ? e.name : "unknown"}`);
    if (!res.headersSent && !res.destroyed) this.send(res, controlJson(500, { error: "internal error" }));
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { segments, query } = parseTarget(req.url ?? "/");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const [a, b] = segments;
    if (a === "_control") return this.control(res, method, segments.slice(1), raw);
    if (a === "mode" && b === "api")
      return this.api("mode", this.routes.mode, req, res, segments.slice(2), query, raw);
    if (a === "org") return this.api("org", this.routes.org, req, res, segments.slice(1), query, raw);
    if (a === "_docs" && b === "space-memberships-deprecation" && segments.length === 2) {
      return this.send(res, {
        status: 200,
        headers: { "Content-Type": "text/plain" },
        body: DEPRECATION_DOC,
      });
    }
    this.send(res, controlJson(404, { error: "not found" }));
  }

  private control(res: ServerResponse, method: string, segs: string[], raw: Buffer | null): void {
    if (raw === null) return this.send(res, controlJson(413, { error: "body over 1 MB" }));
    const m = matchRoute(allControlRoutes, method, segs);
    if (m.kind === "none") return this.send(res, controlJson(404, { error: "unknown control endpoint" }));
    if (m.kind === "method") {
      const reply = controlJson(405, { error: `method ${method} not allowed` });
      reply.headers.Allow = m.allowed.join(", ");
      return this.send(res, reply);
    }
    let reply: Reply;
    try {
      reply = m.route.handler(this, controlBody(raw));
    } catch (e) {
      const r = controlErrorReply(e);
      if (!r) throw e;
      reply = r;
    }
    this.store.saveIfDirty();
    this.send(res, reply);
  }

  private async api(
    api: ApiKind,
    routes: Route<Handler>[],
    req: IncomingMessage,
    res: ServerResponse,
    segs: string[],
    query: URLSearchParams,
    raw: Buffer | null,
  ): Promise<void> {
    const started = Date.now();
    const method = req.method ?? "GET";
    const m = matchRoute(routes, method, segs);
    const name = m.kind === "found" ? m.route.name : null;
    this.log.request(method, name);
    const headers: Record<string, string> = {};
    const pattern = m.kind === "found" ? m.route.pattern : m.kind === "method" ? m.pattern : null;
    if (api === "mode" && pattern && isSpaceMembershipPattern(pattern)) {
      Object.assign(headers, deprecationHeaders(this.urls.origin));
    }
    const done = (reply: Reply | null): void => {
      this.options.log?.(
        `${method} ${name ?? "unknown"} ${reply ? reply.status : "dropped"} ${Date.now() - started}ms`,
      );
      if (!reply) {
        req.socket.destroy();
        return;
      }
      reply.headers = { ...headers, ...reply.headers };
      this.send(res, reply);
    };
    const error = (status: number, kind: string, message: string): Reply =>
      renderError(api, new ApiError(status, kind, message));

    const decision = this.faults.decide(name ?? "unknown");
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (this.limiter) {
      const r = this.limiter.take();
      Object.assign(headers, r.headers);
      if (!r.allowed) {
        this.log.rateLimited();
        return done(error(429, "rate_limited", "Too many requests; retry after the Retry-After delay."));
      }
    }
    if (decision.drop) {
      this.log.fault("drop");
      return done(null);
    }
    if (decision.status !== undefined) {
      this.log.fault(String(decision.status));
      if (decision.status === 429) headers["Retry-After"] = String(this.faults.config.retryAfterSeconds);
      return done(error(decision.status, "injected_fault", `Injected fault: HTTP ${decision.status}.`));
    }
    if (raw === null) return done(error(413, "payload_too_large", "The request body is larger than 1 MB."));
    if (m.kind === "none") return done(error(404, "not_found", "No such endpoint."));
    if (m.kind === "method") {
      headers.Allow = m.allowed.join(", ");
      return done(error(405, "method_not_allowed", `Method ${method} is not allowed on this endpoint.`));
    }
    let reply: Reply;
    try {
      if (decision.crash) throw new Error("injected handler crash");
      reply = m.route.handler({
        store: this.store,
        params: m.params,
        query,
        headers: req.headers,
        rawBody: raw,
        urls: this.urls,
        modePageSize: this.options.modePageSize,
      });
    } catch (e) {
      if (e instanceof ApiError) reply = renderError(api, e);
      else {
        this.options.log?.(`handler ${m.route.name} threw: ${e instanceof Error ? e.message : "unknown"}`);
        reply = error(500, "internal_server_error", "An internal error occurred.");
      }
    }
    try {
      this.store.saveIfDirty();
    } catch (e) {
      this.options.log?.(`saving the state file failed: ${e instanceof Error ? e.message : "unknown"}`);
      reply = error(500, "internal_server_error", "The emulator could not save its state file.");
    }
    if (decision.dropAfterCommit) {
      this.log.fault("dropAfterCommit");
      return done(null);
    }
    if (decision.malformed) {
      const bad = malform(decision.malformed, { ...reply, headers: { ...headers, ...reply.headers } });
      if (bad) {
        this.log.fault(`malformed:${decision.malformed}`);
        Object.keys(headers).forEach((k) => delete headers[k]);
        reply = bad;
      }
    }
    done(reply);
  }
}
