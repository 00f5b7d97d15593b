/**
 * Reliability through the real Pulumi engine, against the emulator: a stack of more than 100
 * resources of every kind (invites, memberships, org invites and acceptances, groups and their
 * members, collections, their grants and default levels, data-source grants) under 20% injected
 * transient faults plus faults on every route of the access model (up, a no-change preview, destroy),
 * lost responses on every create route, and `pulumi up` killed with SIGKILL at several points (and
 * `pulumi destroy` once) followed by the recovery of docs/guides/interrupted-up.md. Every check is an
 * exact-set comparison computed from the emulator's state (testing/fault-stack.ts), plus the groups
 * and collections the checkpoint records against the live ones.
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
  accessResources,
  assertExact,
  collect,
  createStressStack,
  emulatorState,
  faultTotal,
  figures,
  NOTHING,
  rememberSecrets,
  requestCounts,
  setFaults,
  total,
  type Accounting,
  type RequestCounts,
  type StressCounts,
  type StressStack,
} from "../../testing/fault-stack";

/** Runs a pulumi command, records its output for the secret scan, and returns it. */
async function recorded(what: string, run: Promise<PulumiRun>): Promise<PulumiRun> {
  const res = await run;
  collect(`${what} stdout`, res.stdout);
  collect(`${what} stderr`, res.stderr);
  return res;
}

/** The create routes of Mode's access model (groups, their members, collections, grants). */
const ACCESS_CREATES = [
  "mode.groups.create",
  "mode.groupMemberships.create",
  "mode.spaces.create",
  "mode.spacePermissions.create",
  "mode.dataSourcePermissions.create",
];
/** The delete routes of Mode's access model. */
const ACCESS_DELETES = [
  "mode.groups.delete",
  "mode.groupMemberships.delete",
  "mode.spaces.delete",
  "mode.spacePermissions.delete",
  "mode.dataSourcePermissions.delete",
];
/** Every route that creates something (POST), the access model's included. */
const CREATE_ROUTES = [
  "mode.invites.create",
  "mode.spaceMemberships.create",
  "org.invites.create",
  ...ACCESS_CREATES,
];
/** The access model's other routes the provider calls (listings, reads, updates). */
const ACCESS_OTHERS = [
  "mode.groups.list",
  "mode.groups.get",
  "mode.groups.update",
  "mode.groupMemberships.list",
  "mode.spaces.list",
  "mode.spaces.get",
  "mode.spaces.update",
  "mode.spacePermissions.list",
  "mode.spacePermissions.update",
  "mode.dataSources.list",
  "mode.dataSourcePermissions.list",
  "mode.dataSourcePermissions.update",
];
/** How many of the first requests of each {@link ACCESS_OTHERS} route get a transient fault per phase. */
const FIRST_FAULTS = 2;

/** Requests of `route` (any method) in a request log. */
function requestsOf(counts: RequestCounts, route: string): number {
  return Object.entries(counts.byRoute)
    .filter(([key]) => key.split(" ")[1] === route)
    .reduce((n, [, c]) => n + c, 0);
}

/** The faults a phase's per-route `times` settings injected for sure (more come from the global rate). */
function firstFaults(counts: RequestCounts, routes: readonly string[]): number {
  return routes.reduce((n, route) => n + Math.min(FIRST_FAULTS, requestsOf(counts, route)), 0);
}

/** The request counts of `after` less those of `before` (by route), e.g. one phase of a run. */
function since(after: RequestCounts, before: RequestCounts): RequestCounts {
  const byRoute = Object.fromEntries(
    Object.entries(after.byRoute).map(([key, n]) => [key, n - (before.byRoute[key] ?? 0)]),
  );
  return { ...after, byRoute };
}

/** `dup/missing/orphans` of an accounting, for the figures. */
function dmo(result: Accounting): string {
  return `${result.duplicates.length}/${result.missing.length}/${result.orphans.length}`;
}

/** Fails unless the checkpoint records exactly the live groups and collections of the stack's prefix. */
async function assertRecords(stack: StressStack, what: string): Promise<void> {
  assert.deepEqual(await stack.checkRecords(), [], `${what}: the checkpoint and Mode disagree`);
}

describe("reliability through the engine", function () {
  this.timeout(15 * 60_000);
  const stacks: StressStack[] = [];

  before(async function () {
    await engineOrSkip(this, "the reliability engine tests");
  });

  after(async () => {
    console.log(`      figures: ${JSON.stringify(figures, null, 2).replace(/\n/g, "\n      ")}`);
    for (const stack of stacks) await stack.dispose();
  });

  async function setup(counts: StressCounts, prefix: string): Promise<StressStack> {
    const stack = await createStressStack(counts, prefix);
    stacks.push(stack);
    return stack;
  }

  const faultCounts: StressCounts = {
    invites: 26,
    memberships: 44,
    orgInvites: 25,
    acceptances: 10,
    members: 6,
    groups: 4,
    collections: 3,
    access: 3,
    dataSourceGrants: 4,
  };
  it(`converges a ${total(faultCounts)}-resource stack under 20% transient faults and faults on every access-model route, then destroys it under the same faults`, async () => {
    const counts = faultCounts;
    assert.ok(total(counts) >= 100);
    const stack = await setup(counts, "faulty");
    const { emulator, ws, check } = stack;
    // 429 (Retry-After 0), 500, 502, 503, 504 and dropped connections on 20% of all API requests,
    // plus added latency on every request and more on the listings. On the access model's routes
    // besides: the first requests of each listing, read and update (and delete) get a transient fault
    // for sure, and a quarter of its creates (of its deletes, during destroy) lose their answer after
    // Mode committed the write (exactly the first collection create).
    const base = {
      faultRate: 0.2,
      retryAfterSeconds: 0,
      latencyMs: 5,
    };
    const slowLists = {
      "mode.spaceMemberships.list": { latencyMs: 40 },
      "org.invites.list": { latencyMs: 40 },
    };
    const first = { faultRate: 1, times: FIRST_FAULTS };
    const lose = { dropAfterCommit: 0.25 };
    const faults = (writes: "creates" | "deletes") => ({
      ...base,
      routes: {
        ...slowLists,
        ...Object.fromEntries(ACCESS_OTHERS.map((r) => [r, first])),
        ...Object.fromEntries(ACCESS_CREATES.map((r) => [r, writes === "creates" ? lose : first])),
        ...Object.fromEntries(ACCESS_DELETES.map((r) => [r, writes === "deletes" ? lose : first])),
        // Exactly one collection create loses its answer: its retry makes a copy, which must go.
        ...(writes === "creates" ? { "mode.spaces.create": { dropAfterCommit: 1, times: 1 } } : {}),
      },
    });
    await setFaults(emulator, faults("creates"));
    await control(emulator, "DELETE", "/requests");

    await recorded("faulty up", ws.up({ timeoutMs: 6 * 60_000 }));
    const afterUp = await requestCounts(emulator);
    const up = await check(counts);
    assertExact(up, "after up");
    // Every declared object once (and each invitee's workspace membership, each group member and
    // grant, each collection's level): exactly what the program declares.
    assert.equal(up.live, up.declared);
    // Lost group creates were adopted: no group was made twice, not even one deleted since.
    assert.equal(up.groupTokens, counts.groups);
    // The one lost collection create left one copy (its marker told it apart), deleted.
    assert.equal(up.deletedCollections, 1);
    await assertRecords(stack, "after up");
    assert.ok(faultTotal(afterUp) > 0.1 * afterUp.total, `too few faults: ${JSON.stringify(afterUp)}`);

    const exported = await ws.stackExport();
    const resources = (exported.deployment.resources ?? []).filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/mode:"),
    );
    assert.equal(resources.length, total(counts));
    assert.equal(exported.deployment.pending_operations ?? undefined, undefined);
    // Every CollectionAccess recorded the level it found (what destroy puts back).
    const found = resources
      .filter((r) => r.type.endsWith(":CollectionAccess"))
      .map((r) => r.outputs?.previousDefaultAccess)
      .sort();
    assert.deepEqual(found, ["edit", "restricted", "view"]);

    // A second run under the same faults changes nothing.
    const preview = await recorded(
      "faulty preview",
      ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], { timeoutMs: 4 * 60_000 }),
    );
    assert.equal(preview.code, 0);

    await rememberSecrets(emulator);
    const beforeDestroy = await requestCounts(emulator);
    await setFaults(emulator, faults("deletes"));
    await recorded("faulty destroy", ws.destroy({ timeoutMs: 6 * 60_000 }));
    const afterDestroy = await requestCounts(emulator);
    // Nothing the stack created or granted is left (invites revoked, adopted members removed, groups
    // and collections deleted, grants revoked), every default level is back, and nothing the stack
    // does not manage was touched.
    const gone = await check(NOTHING);
    assertExact(gone, "after destroy");
    assert.equal(gone.live, 0);
    await assertRecords(stack, "after destroy");
    const state = await emulatorState(emulator);
    assert.equal(state.invites.filter((i) => i.email.startsWith("faulty-")).length, 0);
    const finalExport = await ws.stackExport();
    assert.equal((finalExport.deployment.resources ?? []).length, 0);

    const destroyPhase = since(afterDestroy, beforeDestroy);
    const accessFaults =
      (afterDestroy.faults.dropAfterCommit ?? 0) +
      firstFaults(beforeDestroy, [...ACCESS_OTHERS, ...ACCESS_DELETES]) +
      firstFaults(destroyPhase, [...ACCESS_OTHERS, ...ACCESS_CREATES]);
    figures["fault run: resources"] = total(counts);
    figures["fault run: resources of the access model"] = JSON.stringify(accessResources(counts));
    figures["fault run: API requests"] = afterDestroy.total;
    figures["fault run: access-model requests"] = [...ACCESS_CREATES, ...ACCESS_DELETES, ...ACCESS_OTHERS]
      .map((r) => requestsOf(afterDestroy, r))
      .reduce((a, b) => a + b, 0);
    figures["fault run: faults injected"] = faultTotal(afterDestroy);
    figures["fault run: fault kinds"] = JSON.stringify(afterDestroy.faults);
    figures["fault run: faults on access-model routes (at least; the global 20% comes on top)"] =
      accessFaults;
    figures["fault run: access-model answers lost after commit (creates in up, deletes in destroy)"] =
      afterDestroy.faults.dropAfterCommit ?? 0;
    figures["fault run: objects after up (declared = live)"] = up.live;
    figures["fault run: duplicates/missing/orphans after up"] = dmo(up);
    figures["fault run: collection copies made by retried creates, deleted by the marker rule"] =
      up.deletedCollections;
    figures["fault run: groups made (tokens) / declared"] = `${up.groupTokens} / ${counts.groups}`;
    figures["fault run: duplicates/missing/orphans after destroy"] = dmo(gone);
    figures["fault run: objects left after destroy (incl. workspace memberships, grants, groups)"] =
      gone.live;
    figures["fault run: invites sent twice"] = up.resent;
  });

  /** Creates the emulator has answered or is answering (every create route, including accept). */
  async function creates(emulator: RunningEmulator): Promise<number> {
    const counts = await requestCounts(emulator);
    return [...CREATE_ROUTES.map((r) => `POST ${r}`), "PUT org.invites.accept"].reduce(
      (n, key) => n + (counts.byRoute[key] ?? 0),
      0,
    );
  }

  it("adopts the object when a create's response is lost, on every create route, in the same run or the next", async () => {
    const counts: StressCounts = {
      invites: 3,
      memberships: 3,
      orgInvites: 3,
      acceptances: 2,
      groups: 2,
      collections: 1,
      access: 1,
      dataSourceGrants: 2,
    };
    const stack = await setup(counts, "lost");
    const { emulator, ws, check } = stack;
    const routes = [...CREATE_ROUTES, "org.invites.accept"];
    // The first answer of every create route is lost after the server committed: the client's retry
    // must adopt the object (Mode's 400 for a second group of that name, a second member of a group or
    // a second grant to one accessor), or, for a collection (no idempotency key), delete the copy its
    // retry made: both carry the create's one-time marker.
    await setFaults(emulator, {
      routes: Object.fromEntries(routes.map((r) => [r, { dropAfterCommit: 1, times: 1 }])),
    });
    await control(emulator, "DELETE", "/requests");
    await recorded("lost-response up", ws.up());
    const first = await requestCounts(emulator);
    assert.equal(first.faults.dropAfterCommit, routes.length);
    const once = await check(counts);
    assertExact(once, "after losing one answer per create route");
    await assertRecords(stack, "after losing one answer per create route");
    assert.equal(once.groupTokens, counts.groups, "a lost group create made a second group");
    assert.equal(requestsOf(first, "mode.spaces.create"), (counts.collections ?? 0) + 1);
    assert.equal(once.deletedCollections, 1, "the copy of the collection made by the retry is not deleted");

    // Every answer of every create route is lost (the run fails): the next run adopts the objects.
    // Groups, group members and grants are adopted in the same run (Mode's 400 on the retry); every
    // retried collection create makes one more copy, all deleted once the last attempt fails.
    const more: StressCounts = {
      invites: 5,
      memberships: 5,
      orgInvites: 5,
      acceptances: 4,
      groups: 3,
      collections: 2,
      access: 2,
      dataSourceGrants: 3,
    };
    await stack.setCounts(more);
    await setFaults(emulator, {
      retryAfterSeconds: 0,
      routes: Object.fromEntries(routes.map((r) => [r, { dropAfterCommit: 1 }])),
    });
    await control(emulator, "DELETE", "/requests");
    const failed = await recorded("lost-responses up", ws.up({ allowFailure: true }));
    assert.notEqual(failed.code, 0, "the run must fail while every answer is lost");
    assert.match(failed.stdout + failed.stderr, /Could not talk to the API after \d+ attempts/);
    const second = await requestCounts(emulator);
    const lost = second.faults.dropAfterCommit ?? 0;
    await setFaults(emulator, {});
    await recorded("recovery up", ws.up());
    await rememberSecrets(emulator);
    const result = await check(more);
    assertExact(result, "after the next run");
    await assertRecords(stack, "after the next run");
    assert.equal(result.groupTokens, more.groups, "a lost group create made a second group");
    const collectionPosts =
      requestsOf(first, "mode.spaces.create") + requestsOf(second, "mode.spaces.create");
    // Every POST made a collection; exactly one per declared name is left, the others were deleted.
    assert.equal(result.deletedCollections, collectionPosts - (more.collections ?? 0));
    const preview = await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack]);
    assert.equal(preview.code, 0);
    figures["lost responses: create routes"] = routes.length;
    figures["lost responses: creates whose answer was lost"] = routes.length + lost;
    figures["lost responses: collection POSTs / collections left / copies deleted by the marker rule"] =
      `${collectionPosts} / ${more.collections ?? 0} / ${result.deletedCollections}`;
    figures["lost responses: groups made (tokens) / declared"] = `${result.groupTokens} / ${more.groups}`;
    figures["lost responses: duplicates/missing/orphans"] = dmo(result);
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
    const counts: StressCounts = {
      invites: 2,
      memberships: 12,
      orgInvites: 8,
      acceptances: 2,
      members: 3,
      groups: 2,
      collections: 2,
      access: 2,
      dataSourceGrants: 2,
    };
    const stack = await setup(counts, "killdestroy");
    const { emulator, ws, check } = stack;
    await recorded("up before destroy", ws.up());
    assertExact(await check(counts), "before destroy");
    await rememberSecrets(emulator);
    const routes = ["mode.spaceMemberships.delete", "org.invites.delete", ...ACCESS_DELETES];
    const slow = { latencyMs: 250 };
    await setFaults(emulator, {
      faultRate: 0.1,
      retryAfterSeconds: 0,
      routes: Object.fromEntries(routes.map((r) => [r, slow])),
    });
    await control(emulator, "DELETE", "/requests");
    const deletes = async (): Promise<number> => {
      const c = await requestCounts(emulator);
      return routes.reduce((n, r) => n + (c.byRoute[`DELETE ${r}`] ?? 0), 0);
    };
    // About half of the deletes (space memberships, org invites, group members, grants, groups,
    // collections, and the default levels put back) have been sent.
    const output = await runUntil(ws, ["destroy"], deletes, 24);
    collect("killed destroy", output);
    await new Promise((r) => setTimeout(r, 600));
    const atKill = await requestCounts(emulator);
    await repairIfUnreadable(ws, "kill half-way through destroy");
    await recorded("recovery cancel", ws.run(["cancel", "--yes", "--stack", ws.stack]));
    await recorded(
      "recovery refresh",
      ws.run(["refresh", "--yes", "--clear-pending-creates", "--stack", ws.stack]),
    );
    await recorded("recovery destroy", ws.destroy());
    // Nothing left, every default level back, nothing the stack does not manage touched.
    const result = await check(NOTHING);
    assertExact(result, "after SIGKILL of destroy and recovery");
    assert.equal(result.live, 0, "destroy left something the stack created or granted");
    await assertRecords(stack, "after SIGKILL of destroy and recovery");
    assert.equal(((await ws.stackExport()).deployment.resources ?? []).length, 0);
    figures["kills"] = Number(figures["kills"] ?? 0) + 1;
    figures["kill half-way through destroy: resources"] = total(counts);
    figures["kill half-way through destroy: deletes sent before the kill, by route"] = JSON.stringify(
      Object.fromEntries(
        Object.entries(atKill.byRoute).filter(
          ([key]) => key.startsWith("DELETE ") || key.startsWith("PATCH "),
        ),
      ),
    );
    figures["kill half-way through destroy: dup/missing/orphans (incl. levels put back)"] = dmo(result);
  });

  // `truncate`: the kill also empties the checkpoint's metadata sidecar, as a real kill does when it
  // lands inside the backend's rewrite of it (the CI flake `failed to load checkpoint: EOF`).
  // 42 creates at least: 24 of invites, space memberships, org invites and acceptances, 18 of groups,
  // group members, collections and grants.
  for (const point of [
    { name: "at the first create", after: 1, truncate: false },
    { name: "half-way through the creates", after: 16, truncate: true },
    { name: "among the last creates (acceptances, grants)", after: 34, truncate: false },
  ]) {
    it(`recovers from SIGKILL of pulumi up ${point.name}: no duplicate, no orphan`, async () => {
      const counts: StressCounts = {
        invites: 6,
        memberships: 8,
        orgInvites: 6,
        acceptances: 4,
        members: 3,
        groups: 2,
        collections: 2,
        access: 2,
        dataSourceGrants: 2,
      };
      const prefix = `kill${point.after}`;
      const stack = await setup(counts, prefix);
      const { emulator, ws, check } = stack;
      // Slow creates (the server commits after the delay, even when the client is gone) and some faults.
      const slow = { latencyMs: 250 };
      await setFaults(emulator, {
        faultRate: 0.1,
        retryAfterSeconds: 0,
        routes: Object.fromEntries([...CREATE_ROUTES, "org.invites.accept"].map((r) => [r, slow])),
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
      const atKill = await requestCounts(emulator);

      await recover(ws, `kill ${point.name}`);
      await rememberSecrets(emulator);
      const result = await check(counts);
      assertExact(result, `after SIGKILL ${point.name} and recovery`);
      await assertRecords(stack, `after SIGKILL ${point.name} and recovery`);
      assert.equal(result.groupTokens, counts.groups, "a group was made twice");
      const preview = await ws.run(["preview", "--expect-no-changes", "--stack", ws.stack]);
      assert.equal(preview.code, 0);
      // What each CollectionAccess recorded as the level it found: the shared collection's own, or
      // (a kill after its create set the level, before the engine recorded it: documented in
      // docs/resources/collection-access.md) the stack's own.
      const exported = await ws.stackExport();
      const levels = (exported.deployment.resources ?? [])
        .filter((r) => r.type.endsWith(":CollectionAccess"))
        .map((r) => String(r.outputs?.previousDefaultAccess));
      figures["kills"] = Number(figures["kills"] ?? 0) + 1;
      figures[
        `kill ${point.name}: creates before kill (access model) / pending ops / dup/missing/orphans / invites re-sent / collection copies deleted`
      ] =
        `${point.after} (${ACCESS_CREATES.reduce((n, r) => n + requestsOf(atKill, r), 0)}) / ${pending.length} / ${dmo(result)} / ${result.resent} / ${result.deletedCollections}`;
      figures[`kill ${point.name}: levels the CollectionAccess resources recorded as found`] =
        levels.join(", ");
    });
  }
});
