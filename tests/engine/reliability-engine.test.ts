/**
 * Reliability through the real Pulumi engine, against the emulator: a stack of more than 100
 * resources of all four kinds under 20% injected transient faults (up, a no-change preview, destroy),
 * lost responses on every create route, and `pulumi up` killed with SIGKILL at several points followed
 * by the recovery of docs/guides/interrupted-up.md. Every check is an exact-set comparison computed from the emulator's state.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { control } from "../../testing/emulator-control";
import {
  engineOrSkip,
  killProcessTree,
  PulumiWorkspace,
  removeEmptySidecars,
  type PulumiRun,
  type StackExport,
} from "../../testing/engine";
import {
  account,
  collect,
  configureStress,
  declaredObjects,
  emulatorState,
  faultTotal,
  figures,
  liveObjects,
  poolOf,
  rememberSecrets,
  requestCounts,
  setFaults,
  startStressEmulator,
  STRESS_DIR,
  total,
  type Accounting,
  type EmulatorState,
  type StressCounts,
} from "../../testing/fault-stack";

/** Runs a pulumi command, records its output for the secret scan, and returns it. */
async function recorded(what: string, run: Promise<PulumiRun>): Promise<PulumiRun> {
  const res = await run;
  collect(`${what} stdout`, res.stdout);
  collect(`${what} stderr`, res.stderr);
  return res;
}

function assertExact(result: Accounting, what: string): void {
  assert.deepEqual(
    { duplicates: result.duplicates, missing: result.missing, orphans: result.orphans },
    { duplicates: [], missing: [], orphans: [] },
    `${what}: the emulator does not hold exactly the declared objects`,
  );
}

/** What an empty program declares: after destroy, the emulator must hold none of the stack's objects. */
const NOTHING: StressCounts = { invites: 0, memberships: 0, orgInvites: 0, acceptances: 0, members: 0 };

describe("reliability through the engine", function () {
  this.timeout(15 * 60_000);
  const workspaces: PulumiWorkspace[] = [];
  const emulators: RunningEmulator[] = [];

  before(async function () {
    await engineOrSkip(this, "the reliability engine tests");
  });

  after(async () => {
    console.log(`      figures: ${JSON.stringify(figures, null, 2).replace(/\n/g, "\n      ")}`);
    for (const ws of workspaces) await ws.dispose().catch(() => undefined);
    for (const emulator of emulators) await emulator.close().catch(() => undefined);
  });

  async function setup(counts: StressCounts, prefix: string) {
    const emulator = await startStressEmulator(counts.members);
    emulators.push(emulator);
    const ws = await PulumiWorkspace.create({ programDir: STRESS_DIR });
    workspaces.push(ws);
    await configureStress(ws, emulator, counts, prefix);
    const baseline = await emulatorState(emulator);
    const check = async (declared: StressCounts): Promise<Accounting> =>
      account(
        liveObjects(await emulatorState(emulator), prefix, baseline, poolOf(emulator)),
        declaredObjects(emulator, declared, prefix),
      );
    return { emulator, ws, baseline, check };
  }

  it("converges a 111-resource stack under 20% transient faults, then destroys it under the same faults", async () => {
    const counts: StressCounts = {
      invites: 26,
      memberships: 44,
      orgInvites: 25,
      acceptances: 10,
      members: 6,
    };
    assert.ok(total(counts) >= 100);
    const { emulator, ws, check } = await setup(counts, "faulty");
    // 429 (Retry-After 0), 500, 502, 503, 504 and dropped connections on 20% of all API requests,
    // plus added latency on every request and more on the listings.
    const faults = {
      faultRate: 0.2,
      retryAfterSeconds: 0,
      latencyMs: 5,
      routes: {
        "mode.spaceMemberships.list": { latencyMs: 40 },
        "org.invites.list": { latencyMs: 40 },
      },
    };
    await setFaults(emulator, faults);
    await control(emulator, "DELETE", "/requests");

    await recorded("faulty up", ws.up({ timeoutMs: 6 * 60_000 }));
    const afterUp = await requestCounts(emulator);
    const up = await check(counts);
    assertExact(up, "after up");
    // Every declared object once, plus the workspace membership each invite creates for its invitee.
    assert.equal(up.live, total(counts) + counts.invites);
    assert.ok(faultTotal(afterUp) > 0.1 * afterUp.total, `too few faults: ${JSON.stringify(afterUp)}`);

    const exported = await ws.stackExport();
    const resources = (exported.deployment.resources ?? []).filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/mode:"),
    );
    assert.equal(resources.length, total(counts));
    assert.equal(exported.deployment.pending_operations ?? undefined, undefined);

    // A second run under the same faults changes nothing.
    const preview = await recorded(
      "faulty preview",
      ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], { timeoutMs: 4 * 60_000 }),
    );
    assert.equal(preview.code, 0);

    await rememberSecrets(emulator);
    await recorded("faulty destroy", ws.destroy({ timeoutMs: 6 * 60_000 }));
    const afterDestroy = await requestCounts(emulator);
    // Nothing the stack granted is left: invites revoked, adopted members removed, everything else gone.
    const gone = await check(NOTHING);
    assertExact(gone, "after destroy");
    assert.equal(gone.live, 0);
    const state: EmulatorState = await emulatorState(emulator);
    assert.equal(state.invites.filter((i) => i.email.startsWith("faulty-")).length, 0);
    const finalExport = await ws.stackExport();
    assert.equal((finalExport.deployment.resources ?? []).length, 0);

    figures["fault run: resources"] = total(counts);
    figures["fault run: API requests"] = afterDestroy.total;
    figures["fault run: faults injected"] = faultTotal(afterDestroy);
    figures["fault run: fault kinds"] = JSON.stringify(afterDestroy.faults);
    figures["fault run: duplicates/missing/orphans after up"] =
      `${up.duplicates.length}/${up.missing.length}/${up.orphans.length}`;
    figures["fault run: objects left after destroy (incl. workspace memberships)"] = gone.live;
    figures["fault run: invites sent twice"] = up.resent;
  });

  /** Creates the emulator has answered or is answering (every create route, including accept). */
  async function creates(emulator: RunningEmulator): Promise<number> {
    const counts = await requestCounts(emulator);
    return [
      "POST mode.invites.create",
      "POST mode.spaceMemberships.create",
      "POST org.invites.create",
      "PUT org.invites.accept",
    ].reduce((n, key) => n + (counts.byRoute[key] ?? 0), 0);
  }

  it("adopts the object when a create's response is lost, on every create route, in the same run or the next", async () => {
    const counts: StressCounts = { invites: 3, memberships: 3, orgInvites: 3, acceptances: 2 };
    const { emulator, ws, check } = await setup(counts, "lost");
    const routes = [
      "mode.invites.create",
      "mode.spaceMemberships.create",
      "org.invites.create",
      "org.invites.accept",
    ];
    // The first answer of every create route is lost after the server committed: the client's retry
    // must adopt the object.
    await setFaults(emulator, {
      routes: Object.fromEntries(routes.map((r) => [r, { dropAfterCommit: 1, times: 1 }])),
    });
    await control(emulator, "DELETE", "/requests");
    await recorded("lost-response up", ws.up());
    const first = await requestCounts(emulator);
    assert.equal(first.faults.dropAfterCommit, routes.length);
    assertExact(await check(counts), "after losing one answer per create route");

    // Every answer of every create route is lost (the run fails): the next run adopts the objects.
    const more: StressCounts = { invites: 5, memberships: 5, orgInvites: 5, acceptances: 4 };
    await ws.setConfig("stress:invites", String(more.invites));
    await ws.setConfig("stress:memberships", String(more.memberships));
    await ws.setConfig("stress:orgInvites", String(more.orgInvites));
    await ws.setConfig("stress:acceptances", String(more.acceptances));
    await setFaults(emulator, {
      retryAfterSeconds: 0,
      routes: Object.fromEntries(routes.map((r) => [r, { dropAfterCommit: 1 }])),
    });
    const failed = await recorded("lost-responses up", ws.up({ allowFailure: true }));
    assert.notEqual(failed.code, 0, "the run must fail while every answer is lost");
    assert.match(failed.stdout + failed.stderr, /Could not talk to the API after \d+ attempts/);
    const lost = (await requestCounts(emulator)).faults.dropAfterCommit ?? 0;
    await setFaults(emulator, {});
    await recorded("recovery up", ws.up());
    await rememberSecrets(emulator);
    const result = await check(more);
    assertExact(result, "after the next run");
    const preview = await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack]);
    assert.equal(preview.code, 0);
    figures["lost responses: creates whose answer was lost"] = routes.length + lost;
    figures["lost responses: duplicates/missing/orphans"] =
      `${result.duplicates.length}/${result.missing.length}/${result.orphans.length}`;
    figures["lost responses: workspace invites re-sent by the retry (Mode resend)"] = result.resent;
  });

  /**
   * Step 0 of the recovery of docs/guides/interrupted-up.md, for a local file backend: when a command says `failed to load
   * checkpoint: EOF`, the kill landed while the backend rewrote the metadata sidecar of a file
   * (`<stack>.json.attrs`), leaving it empty; `find <backend>/.pulumi -name '*.attrs' -empty -delete`
   * repairs it. Returns whether the repair was needed.
   */
  async function repairIfUnreadable(ws: PulumiWorkspace, what: string): Promise<boolean> {
    const probe = await ws.run(["stack", "export", "--stack", ws.stack], { allowFailure: true });
    if (probe.code === 0) return false;
    assert.match(probe.stdout + probe.stderr, /failed to load checkpoint: EOF/);
    const removed = removeEmptySidecars(ws.stateDir);
    assert.ok(removed.length > 0, "an unreadable checkpoint but no empty sidecar to remove");
    const key = "kills that left an empty backend sidecar, repaired by step 0";
    const names = removed.map((f) => path.relative(ws.stateDir, f)).join(", ");
    figures[key] = `${figures[key] ? `${figures[key]}; ` : ""}${what}: ${names}`;
    return true;
  }

  /** Empties the checkpoint's metadata sidecar, as a SIGKILL inside the backend's rewrite of it does. */
  function truncateCheckpointSidecar(ws: PulumiWorkspace): void {
    const stacks = path.join(ws.stateDir, ".pulumi", "stacks");
    const project = fs
      .readdirSync(stacks)
      .find((p) => fs.existsSync(path.join(stacks, p, `${ws.stack}.json`)));
    assert.ok(project, `no checkpoint of stack ${ws.stack} under ${stacks}`);
    fs.truncateSync(path.join(stacks, project, `${ws.stack}.json.attrs`), 0);
  }

  /** The stack's checkpoint right after a kill, repaired first (step 0) when the kill left it unreadable. */
  async function exportAfterKill(ws: PulumiWorkspace, what: string): Promise<StackExport> {
    await repairIfUnreadable(ws, what);
    return ws.stackExport();
  }

  /** The recovery of docs/guides/interrupted-up.md after an interrupted `pulumi up`, command for command. */
  async function recover(ws: PulumiWorkspace, what: string): Promise<void> {
    // 0. Local backend only: an empty metadata sidecar left by the kill makes the checkpoint unreadable.
    await repairIfUnreadable(ws, what);
    // 1. The killed run left the stack locked: release the lock.
    const cancel = await recorded("recovery cancel", ws.run(["cancel", "--yes", "--stack", ws.stack]));
    assert.match(cancel.stdout, /has been canceled/);
    // 2. Refresh: read every recorded object back, drop the creates that never finished.
    await recorded(
      "recovery refresh",
      ws.run(["refresh", "--yes", "--clear-pending-creates", "--stack", ws.stack]),
    );
    // 3. Up: the dropped creates run again and adopt whatever the interrupted run had created.
    await recorded("recovery up", ws.up());
  }

  /** Starts `pulumi <command>`, SIGKILLs its whole process tree once `progress()` reaches `threshold`. */
  async function runUntil(
    ws: PulumiWorkspace,
    command: string[],
    progress: () => Promise<number>,
    threshold: number,
  ): Promise<string> {
    const child = ws.spawn([...command, "--yes", "--skip-preview", "--stack", ws.stack]);
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (output += d));
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    let done = false;
    void exited.then(() => (done = true));
    const deadline = Date.now() + 3 * 60_000;
    try {
      while (!done && (await progress()) < threshold) {
        assert.ok(Date.now() < deadline, "the run never reached the kill point");
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(!done, `pulumi ${command.join(" ")} ended before the kill point:\n${output}`);
    } finally {
      // Waits until the CLI and every process it started are gone, so nothing of the killed run still
      // runs (or writes) when the next command starts.
      await killProcessTree(child);
      await exited;
    }
    return output;
  }

  it("recovers from SIGKILL of pulumi destroy half-way: the documented commands then destroy leave nothing", async () => {
    const counts: StressCounts = { invites: 2, memberships: 12, orgInvites: 8, acceptances: 2, members: 3 };
    const { emulator, ws, check } = await setup(counts, "killdestroy");
    await recorded("up before destroy", ws.up());
    assertExact(await check(counts), "before destroy");
    await rememberSecrets(emulator);
    const slow = { latencyMs: 250 };
    await setFaults(emulator, {
      faultRate: 0.1,
      retryAfterSeconds: 0,
      routes: { "mode.spaceMemberships.delete": slow, "org.invites.delete": slow },
    });
    await control(emulator, "DELETE", "/requests");
    const deletes = async (): Promise<number> => {
      const c = await requestCounts(emulator);
      return (
        (c.byRoute["DELETE mode.spaceMemberships.delete"] ?? 0) +
        (c.byRoute["DELETE org.invites.delete"] ?? 0)
      );
    };
    const output = await runUntil(ws, ["destroy"], deletes, 8);
    collect("killed destroy", output);
    await new Promise((r) => setTimeout(r, 600));
    await repairIfUnreadable(ws, "kill half-way through destroy");
    await recorded("recovery cancel", ws.run(["cancel", "--yes", "--stack", ws.stack]));
    await recorded(
      "recovery refresh",
      ws.run(["refresh", "--yes", "--clear-pending-creates", "--stack", ws.stack]),
    );
    await recorded("recovery destroy", ws.destroy());
    const result = await check(NOTHING);
    assertExact(result, "after SIGKILL of destroy and recovery");
    assert.equal(result.live, 0, "destroy left something the stack granted");
    assert.equal(((await ws.stackExport()).deployment.resources ?? []).length, 0);
    figures["kills"] = Number(figures["kills"] ?? 0) + 1;
    figures["kill half-way through destroy: dup/missing/orphans"] =
      `${result.duplicates.length}/${result.missing.length}/${result.orphans.length}`;
  });

  // `truncate`: the kill also empties the checkpoint's metadata sidecar, as a real kill does when it
  // lands inside the backend's rewrite of it (the CI flake `failed to load checkpoint: EOF`).
  for (const point of [
    { name: "at the first create", after: 1, truncate: false },
    { name: "half-way through the creates", after: 12, truncate: true },
    { name: "among the last creates (acceptances)", after: 21, truncate: false },
  ]) {
    it(`recovers from SIGKILL of pulumi up ${point.name}: no duplicate, no orphan`, async () => {
      const counts: StressCounts = { invites: 6, memberships: 8, orgInvites: 6, acceptances: 4, members: 3 };
      const prefix = `kill${point.after}`;
      const { emulator, ws, check } = await setup(counts, prefix);
      // Slow creates (the server commits after the delay, even when the client is gone) and some faults.
      const slow = { latencyMs: 250 };
      await setFaults(emulator, {
        faultRate: 0.1,
        retryAfterSeconds: 0,
        routes: {
          "mode.invites.create": slow,
          "mode.spaceMemberships.create": slow,
          "org.invites.create": slow,
          "org.invites.accept": slow,
        },
      });
      await control(emulator, "DELETE", "/requests");
      const output = await runUntil(ws, ["up"], () => creates(emulator), point.after);
      collect(`killed up ${point.name}`, output);
      // Requests already in flight still commit on the server.
      await new Promise((r) => setTimeout(r, 600));
      if (point.truncate) {
        truncateCheckpointSidecar(ws);
        const broken = await ws.run(["stack", "export", "--stack", ws.stack], { allowFailure: true });
        assert.notEqual(broken.code, 0);
        assert.match(broken.stderr, /failed to load checkpoint: EOF/);
      }
      const before = await exportAfterKill(ws, `kill ${point.name}${point.truncate ? " (deliberate)" : ""}`);
      const pending = (before.deployment.pending_operations as unknown[] | undefined) ?? [];

      await recover(ws, `kill ${point.name}`);
      await rememberSecrets(emulator);
      const result = await check(counts);
      assertExact(result, `after SIGKILL ${point.name} and recovery`);
      const preview = await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack]);
      assert.equal(preview.code, 0);
      figures["kills"] = Number(figures["kills"] ?? 0) + 1;
      figures[
        `kill ${point.name}: creates before kill / pending ops / dup/missing/orphans / invites re-sent`
      ] =
        `${point.after} / ${pending.length} / ${result.duplicates.length}/${result.missing.length}/${result.orphans.length} / ${result.resent}`;
    });
  }
});
