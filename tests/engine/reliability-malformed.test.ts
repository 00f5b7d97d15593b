/**
 * Malformed API answers through the real engine: an HTML error page, truncated JSON, a missing
 * required field and a field of the wrong type, on create routes and on the listings read by refresh
 * and preview. Each fails that operation with a message naming the request and what is wrong with
 * the answer, and leaves the stack's state exactly as it was (stack export before/after). The next
 * clean run adopts whatever the server had committed: exactly the declared objects exist.
 */
import { strict as assert } from "node:assert";
import { engineOrSkip, type StackExport, type PulumiRun } from "../../testing/engine";
import {
  assertExact,
  collect,
  createStressStack,
  figures,
  requestCounts,
  setFaults,
  type StressCounts,
  type StressStack,
} from "../../testing/fault-stack";

/** The resources of an export, with secret ciphertexts (re-encrypted on every save) normalised. */
function resourcesOf(exported: StackExport): unknown {
  const normalise = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(normalise);
    if (typeof value === "object" && value !== null) {
      const o = value as Record<string, unknown>;
      if (typeof o.ciphertext === "string") return "<secret>";
      return Object.fromEntries(
        Object.entries(o)
          .filter(([k]) => k !== "__provider")
          .map(([k, v]) => [k, normalise(v)]),
      );
    }
    return value;
  };
  return (exported.deployment.resources ?? [])
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/mode:"))
    .map((r) => ({ urn: r.urn, id: r.id, inputs: normalise(r.inputs), outputs: normalise(r.outputs) }))
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

function output(run: PulumiRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

interface CreateCase {
  kind: "html" | "truncated" | "missing-field" | "wrong-type";
  route: string;
  grow: keyof StressCounts;
  expect: RegExp[];
}

const CREATE_CASES: CreateCase[] = [
  {
    kind: "html",
    route: "org.invites.create",
    grow: "orgInvites",
    expect: [
      /POST \/api\/v2\/organizations\/[^/\s]+\/invites failed/,
      /response body is not JSON \(looks like HTML/,
    ],
  },
  {
    kind: "truncated",
    route: "mode.invites.create",
    grow: "invites",
    expect: [/POST \/[^/\s]+\/invites failed/, /response body is not JSON \(truncated JSON/],
  },
  {
    kind: "missing-field",
    route: "org.invites.accept",
    grow: "acceptances",
    expect: [
      /PUT \/api\/v2\/organizations\/[^/\s]+\/invites\/[^/\s]+\/accept failed/,
      /\/data\/attributes is required/,
    ],
  },
  {
    kind: "wrong-type",
    route: "mode.groups.create",
    grow: "groups",
    expect: [/POST \/[^/\s]+\/groups failed/, /response field \/token must be string/],
  },
  {
    kind: "wrong-type",
    route: "mode.spaceMemberships.create",
    grow: "memberships",
    expect: [/POST \/[^/\s]+\/spaces\/[^/\s]+\/memberships failed/, /response field \/token must be string/],
  },
];

describe("reliability: malformed API answers through the engine", function () {
  this.timeout(10 * 60_000);
  let stack: StressStack | undefined;
  let counts: StressCounts = { invites: 1, memberships: 1, orgInvites: 2, acceptances: 1, groups: 1 };

  before(async function () {
    await engineOrSkip(this, "the malformed-answer engine tests");
    stack = await createStressStack(counts, "malformed");
    await stack.ws.up();
    assertExact(await stack.check(counts), "initial up");
  });

  after(async () => {
    await stack?.dispose();
  });

  for (const c of CREATE_CASES) {
    it(`${c.kind} answer to ${c.route}: the create fails clearly, the state is unchanged, the next run adopts`, async () => {
      const s = stack!;
      const before = await s.ws.stackExport();
      const next = { ...counts, [c.grow]: (counts[c.grow] ?? 0) + 1 };
      await s.setCounts(next);
      await setFaults(s.emulator, { routes: { [c.route]: { malformed: c.kind } } });
      const failed = await s.ws.up({ allowFailure: true });
      collect(`malformed ${c.kind} up`, output(failed));
      assert.notEqual(failed.code, 0, output(failed));
      for (const re of c.expect) assert.match(output(failed), re);
      assert.match(output(failed), /The API answered in an unexpected shape/);
      const faults = (await requestCounts(s.emulator)).faults[`malformed:${c.kind}`] ?? 0;
      assert.ok(faults >= 1, "no malformed answer was sent");
      const afterFailure = await s.ws.stackExport();
      assert.deepEqual(resourcesOf(afterFailure), resourcesOf(before), "the failed run changed the state");
      assert.equal(afterFailure.deployment.pending_operations ?? undefined, undefined);

      // The server did commit the create: the next clean run adopts it, no duplicate.
      await setFaults(s.emulator, {});
      await s.ws.up();
      counts = next;
      const result = await s.check(counts);
      assertExact(result, `after the ${c.kind} answer and a clean run`);
      figures[`malformed ${c.kind} on ${c.route}: dup/missing/orphans`] =
        `${result.duplicates.length}/${result.missing.length}/${result.orphans.length}`;
    });
  }

  for (const c of [
    { kind: "wrong-type", route: "mode.memberships.list", command: "refresh", expect: /must be string/ },
    { kind: "missing-field", route: "org.invites.list", command: "preview", expect: /is required/ },
    { kind: "html", route: "mode.spaceMemberships.list", command: "refresh", expect: /looks like HTML/ },
    { kind: "truncated", route: "org.invites.list", command: "refresh", expect: /truncated JSON/ },
    { kind: "html", route: "mode.groups.list", command: "refresh", expect: /looks like HTML/ },
  ] as const) {
    it(`${c.kind} answer to ${c.route} during ${c.command}: fails clearly, the state is unchanged`, async () => {
      const s = stack!;
      // Refresh first, so that only the faulty listing could change anything.
      await s.ws.refresh();
      const before = await s.ws.stackExport();
      await setFaults(s.emulator, { routes: { [c.route]: { malformed: c.kind } } });
      const args = c.command === "refresh" ? ["refresh", "--yes", "--skip-preview"] : ["preview"];
      const failed = await s.ws.run([...args, "--stack", s.ws.stack], { allowFailure: true });
      collect(`malformed ${c.kind} ${c.command}`, output(failed));
      await setFaults(s.emulator, {});
      assert.notEqual(failed.code, 0, output(failed));
      assert.match(output(failed), c.expect);
      assert.match(output(failed), /GET \/\S+ failed/);
      assert.match(output(failed), /The API answered in an unexpected shape/);
      assert.deepEqual(resourcesOf(await s.ws.stackExport()), resourcesOf(before));
      const preview = await s.ws.run(["preview", "--expect-no-changes", "--stack", s.ws.stack]);
      assert.equal(preview.code, 0);
    });
  }
});
