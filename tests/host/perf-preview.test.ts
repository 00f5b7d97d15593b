/**
 * Cost of a no-op preview at scale, through the dynamic-provider host against the emulator:
 * 1,000 space memberships over 10 spaces are created, then a fresh host (a new run) diffs all of
 * them at once. Drift detection must cost at most 0.1 requests per resource (one listing per
 * collection, shared by every `diff` and coalesced), still find memberships removed out of band,
 * and list a collection again after a write to it.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ModeClient } from "../../provider/client";
import { providerText } from "../../sdk/shim";
import { ProviderHost, urnFor } from "../../testing/provider-host";
import { control, providerConfig } from "../../testing/emulator-control";

type Props = Record<string, unknown>;

interface Counts {
  total: number;
  byRoute: Record<string, number>;
}

const SPACES = 10;
const USERS = 100;
const N = SPACES * USERS;
const LIST = "GET mode.spaceMemberships.list";

describe("perf: no-op preview of 1,000 space memberships", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let provider: string;
  let config: Record<string, string>;
  const hosts: ProviderHost[] = [];
  const members: { urn: string; args: Props; id: string; state: Props; inputs: Props }[] = [];

  async function run(): Promise<ProviderHost> {
    const host = await ProviderHost.start();
    hosts.push(host);
    await host.configure(config);
    return host;
  }

  async function counts(): Promise<Counts> {
    return (await control<Counts>(emulator, "GET", "/requests")).json;
  }

  /** Runs `fn` over every item, at most `limit` at a time. */
  async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: limit }, worker));
  }

  before(async () => {
    // One spare user (the last) for the write-invalidates test.
    emulator = await startEmulator({ port: 0, seed: { users: USERS + 1, spaces: SPACES, userGroups: 0 } });
    config = providerConfig(emulator);
    provider = providerText("SpaceMembership");
    const { workspace, spaces, users } = emulator.seed.mode;
    for (let i = 0; i < N; i++) {
      const args = {
        account: workspace,
        space: spaces[i % SPACES],
        memberType: "User",
        memberToken: users[Math.floor(i / SPACES)].token,
      };
      members.push({ urn: urnFor("SpaceMembership", `m${i}`), args, id: "", state: {}, inputs: {} });
    }
    const host = await run();
    await inParallel(members, 64, async (m) => {
      const checked = await host.check(m.urn, {}, { ...m.args, __provider: provider });
      const created = await host.create(m.urn, checked.inputs);
      m.id = created.id;
      m.state = created.properties;
      m.inputs = checked.inputs;
    });
    await host.stop();
  });

  after(async () => {
    for (const h of hosts) await h.stop().catch(() => undefined);
    await emulator?.close();
  });

  it("a fresh run diffs all 1,000 concurrently with ≤ 0.1 requests per resource and finds 5 % drift", async () => {
    // 5 % removed out of band, 5 in each space.
    const { token, secret } = emulator.seed.mode;
    const client = new ModeClient({ apiUrl: emulator.modeApiUrl, token, secret });
    const removed = new Set<string>();
    for (let k = 0; k < N / 20; k++) {
      const m = members[k * 20 + (k % 20)];
      await client.deleteSpaceMembership(String(m.args.account), String(m.args.space), m.id);
      removed.add(m.id);
    }
    const host = await run();
    await control(emulator, "DELETE", "/requests");
    const diffs = await Promise.all(
      members.map(async (m) => {
        const checked = await host.check(m.urn, m.state, { ...m.args, __provider: provider });
        return { id: m.id, diff: await host.diff(m.urn, m.id, m.state, checked.inputs) };
      }),
    );
    const c = await counts();
    assert.ok(c.total / N <= 0.1, `${c.total} requests for ${N} resources`);
    // One listing per space (100 → 95 members: 2 pages of 50), however many diffs asked at once.
    assert.equal(c.byRoute[LIST], SPACES * 2, JSON.stringify(c.byRoute));
    const drifted = diffs.filter((d) => d.diff.replaces.length > 0);
    assert.deepEqual(new Set(drifted.map((d) => d.id)), removed);
    for (const d of drifted) assert.deepEqual(d.diff.replaces, ["token"]);
    for (const d of diffs.filter((x) => !removed.has(x.id))) assert.equal(d.diff.changes, "none");
  });

  it("a write to a collection makes the next diff in it list again; other collections stay cached", async () => {
    const host = await run();
    const diffOf = async (i: number) => {
      const m = members[i];
      const checked = await host.check(m.urn, m.state, { ...m.args, __provider: provider });
      return host.diff(m.urn, m.id, m.state, checked.inputs);
    };
    // Warm the listings of spaces 0 and 1 (members 1 and 2 were not removed).
    assert.equal((await diffOf(SPACES + 0)).changes, "none");
    assert.equal((await diffOf(SPACES + 1)).changes, "none");
    const { workspace, spaces, users } = emulator.seed.mode;
    const extra = {
      account: workspace,
      space: spaces[0],
      memberType: "User",
      memberToken: users[USERS].token,
    };
    const urn = urnFor("SpaceMembership", "extra");
    const checked = await host.check(urn, {}, { ...extra, __provider: provider });
    const created = await host.create(urn, checked.inputs);
    await control(emulator, "DELETE", "/requests");
    assert.equal((await diffOf(SPACES + 1)).changes, "none");
    assert.equal((await counts()).byRoute[LIST] ?? 0, 0, "space 1 was not written: still cached");
    assert.equal((await diffOf(SPACES + 0)).changes, "none");
    assert.ok(((await counts()).byRoute[LIST] ?? 0) >= 1, "space 0 was written: listed again");
    // The new membership is in the fresh listing: its own diff needs no further request.
    await control(emulator, "DELETE", "/requests");
    const own = await host.diff(urn, created.id, created.properties, checked.inputs);
    assert.equal(own.changes, "none");
    assert.equal((await counts()).total, 0);
  });
});
