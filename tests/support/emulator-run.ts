/**
 * Resource unit tests on the emulator (no engine, no host): a provider context on the real Mode
 * client with fast, few retries, renewed per "run" (a new provider process: new listings, nothing
 * placed, lines shown again), the emulator's request log by route, and changes "outside Pulumi"
 * through the API with the seeded admin credentials.
 */
import { strict as assert } from "node:assert";
import type { RunningEmulator } from "../../emulator";
import { ModeClient } from "../../provider/client";
import { ProviderContext, setProviderContext } from "../../provider/context";
import { basic, control, req, type PermissionBody } from "../../testing/emulator-control";

/** One emulator, seen as successive provider runs. */
export class EmulatorRuns {
  /** The lines and warnings of the current run. */
  warnings: string[] = [];

  constructor(readonly emu: RunningEmulator) {}

  /** The seeded workspace. */
  get workspace(): string {
    return this.emu.seed.mode.workspace;
  }

  /** Starts a fresh run: a new provider context (new listings) on a client with fast, few retries. */
  fresh(): void {
    const client = new ModeClient({
      apiUrl: this.emu.modeApiUrl,
      token: this.emu.seed.mode.token,
      secret: this.emu.seed.mode.secret,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    });
    this.warnings = [];
    setProviderContext(new ProviderContext({ warn: (m) => this.warnings.push(m), modeApi: () => client }));
  }

  /** The requests since the last call, by `METHOD route`; the log is then cleared. */
  async takeRequests(): Promise<Record<string, number>> {
    const res = await control<{ byRoute: Record<string, number> }>(this.emu, "GET", "/requests");
    await control(this.emu, "DELETE", "/requests");
    return res.json.byRoute;
  }

  /** The writes among the requests since the last call (anything but a GET). */
  async takeWrites(): Promise<Record<string, number>> {
    const all = await this.takeRequests();
    return Object.fromEntries(Object.entries(all).filter(([route]) => !route.startsWith("GET ")));
  }

  /** A Mode API call outside Pulumi (admin credentials), `path` relative to the workspace; fails unless 2xx. */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const auth = basic(this.emu.seed.mode.token, this.emu.seed.mode.secret);
    const res = await req<T>(method, `${this.emu.modeApiUrl}/${this.workspace}${path}`, {
      auth,
      ...(body === undefined ? {} : { body }),
    });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  }

  /** Every permission of a collection (`spaces`) or data source (`data_sources`), read outside Pulumi. */
  async permissions(kind: "spaces" | "data_sources", target: string): Promise<PermissionBody[]> {
    const page = await this.api<{ _embedded: Record<string, PermissionBody[]> }>(
      "GET",
      `/${kind}/${target}/permissions?per_page=1000`,
    );
    return Object.values(page._embedded)[0] ?? [];
  }

  /** The user token of a seeded user. */
  token(username: string): string {
    const user = this.emu.seed.mode.users.find((u) => u.username === username);
    assert.ok(user, `no seeded user ${username}`);
    return user.token;
  }
}
