/**
 * Who can reach collections and data sources, through the real Pulumi engine against the emulator
 * (program: tests/fixtures/collections, declared per command through COLLECTIONS_PROGRAM):
 *
 * - a CollectionAccess restricts a collection and grants it to the Analysts group (a mode.Group of the
 *   program) and to one person, beside a CollectionPermission on another collection and the group's
 *   DataSourcePermission; once the group exists, the preview of the new CollectionAccess names what
 *   its first `up` changes;
 * - out-of-band changes (a grant removed, an action changed, an extra grant added, the default level
 *   opened, on the access-managed collection; an action changed on the other; the data-source grant
 *   removed) each show in a plain `pulumi preview` on one exact line per resource; `up` repairs them
 *   with only the needed writes (the emulator's request log by route) and the next preview is clean;
 * - destroy removes every grant the stack made and puts the default level back (read through the API).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, req, type PermissionBody, type SpaceBody } from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot } from "../../testing/engine";
import { takeRequests, warnings, writes } from "../support/engine-output";

const PROGRAM_DIR = path.join(repoRoot(), "tests", "fixtures", "collections");

/** A grant as the program declares it (`declaredGroup`: a `groups` entry's token, as `group`). */
interface Grant {
  username?: string;
  group?: string;
  declaredGroup?: string;
  action: string;
}

/** What the fixture program declares (see its header). */
interface Program {
  workspace: string;
  groups?: Record<string, string>;
  access?: { collection?: string; defaultAccess?: string; grants: Grant[] };
  collection?: { name: string; defaultAccess?: string };
  conflict?: "permission";
  permission?: { collection: string; action: string } & Omit<Grant, "action">;
  dataSource?: { dataSource: string; action: string } & Omit<Grant, "action">;
}

describe("collections and data sources through the engine", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;
  let program: Program;
  let workspace: string;
  /** Space 2: level view, Group 2 edit (seed). Space 3: level edit, no grants. */
  let space2: string;
  let space3: string;
  /** The token of the program's Analysts group, once the first `up` made it. */
  let analysts: string;
  /** Events Lake: no grants (seed). */
  let lake: string;
  const env = (p: Program) => ({ env: { COLLECTIONS_PROGRAM: JSON.stringify(p) } });
  const clean = (p: Program) => ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], env(p));
  const token = (username: string): string =>
    emulator.seed.mode.users.find((u) => u.username === username)?.token ?? assert.fail(username);

  /** A Mode API call outside Pulumi with the admin credentials; fails unless 2xx. */
  async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
    const auth = basic(emulator.seed.mode.token, emulator.seed.mode.secret);
    const res = await req<T>(method, `${emulator.modeApiUrl}/${workspace}${url}`, {
      auth,
      ...(body === undefined ? {} : { body }),
    });
    assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.text}`);
    return res.json;
  }

  /** A target's permissions as sorted `<username or group name>:<action>`, read through the API. */
  async function grants(kind: "spaces" | "data_sources", target: string): Promise<string[]> {
    const names = new Map<string, string>([
      ...emulator.seed.mode.users.map((u) => [u.token, u.username] as [string, string]),
      ...emulator.seed.mode.groups.map((g) => [g.token, g.name] as [string, string]),
      ...(analysts ? [[analysts, "Analysts"] as [string, string]] : []),
    ]);
    const page = await api<{ _embedded: Record<string, PermissionBody[]> }>(
      "GET",
      `/${kind}/${target}/permissions?per_page=1000`,
    );
    return (Object.values(page._embedded)[0] ?? [])
      .map((p) => `${names.get(p.accessor_token) ?? p.accessor_token}:${p.action}`)
      .sort();
  }

  async function permissionOf(kind: "spaces" | "data_sources", target: string, accessor: string) {
    const page = await api<{ _embedded: Record<string, PermissionBody[]> }>(
      "GET",
      `/${kind}/${target}/permissions?per_page=1000`,
    );
    const found = (Object.values(page._embedded)[0] ?? []).find((p) => p.accessor_token === accessor);
    assert.ok(found, `${accessor} holds no permission on ${target}`);
    return found;
  }

  async function level(space: string): Promise<string> {
    return (await api<SpaceBody>("GET", `/spaces/${space}`)).default_access_level;
  }

  before(async function () {
    await engineOrSkip(this, "the collections engine tests");
    emulator = await startEmulator({ port: 0 });
    const seed = emulator.seed.mode;
    workspace = seed.workspace;
    [, space2, space3] = seed.spaces;
    lake = seed.dataSources.find((d) => d.name === "Events Lake")?.token ?? assert.fail("Events Lake");
    ws = await PulumiWorkspace.create({
      programDir: PROGRAM_DIR,
      env: {
        MODE_API_URL: emulator.modeApiUrl,
        MODE_API_TOKEN: seed.token,
        MODE_API_SECRET: seed.secret,
      },
    });
    program = {
      workspace,
      groups: { analysts: "Analysts" },
      access: {
        collection: space2,
        defaultAccess: "restricted",
        grants: [
          { declaredGroup: "analysts", action: "view" },
          { username: "grace", action: "edit" },
        ],
      },
      permission: { collection: space3, username: "alan", action: "view" },
      dataSource: { dataSource: lake, declaredGroup: "analysts", action: "query" },
    };
  });
  after(async () => {
    await ws?.dispose().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
  });

  it("the preview of the new CollectionAccess names what its first up changes; up makes exactly that", async () => {
    // The group first: the preview knows a grant's group token (and names the group) once it exists.
    const groupOnly: Program = { workspace, groups: program.groups };
    await ws.up(env(groupOnly));
    analysts = ((await ws.outputs()).groupTokens as Record<string, string>).analysts;
    assert.match(analysts, /^\w+$/);
    await takeRequests(emulator);
    const preview = await ws.preview(env(program));
    assert.deepEqual(warnings(preview), [
      `mode:CollectionAccess collection "Space 2" of ${workspace}: 3 grants differ from the program — up grants ` +
        'group "Analysts" (view), grace (edit); revokes group "Group 2" (edit); the default level is view, the ' +
        "program says restricted — up sets restricted",
    ]);
    assert.deepEqual(writes(await takeRequests(emulator)), {}, "a preview sends nothing");

    await ws.up(env(program));
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "POST mode.spacePermissions.create": 3,
      "DELETE mode.spacePermissions.delete": 1,
      "PATCH mode.spaces.update": 1,
      "POST mode.dataSourcePermissions.create": 1,
    });
    assert.deepEqual(await grants("spaces", space2), ["Analysts:view", "grace:edit"]);
    assert.equal(await level(space2), "restricted");
    assert.deepEqual(await grants("spaces", space3), ["alan:view"]);
    assert.deepEqual(await grants("data_sources", lake), ["Analysts:query"]);
    const outputs = await ws.outputs();
    assert.equal(outputs.accessPrevious, "view");
    assert.deepEqual(outputs.accessGrants, [
      { accessorType: "Account", accessorToken: token("grace"), name: "grace", action: "edit" },
      { accessorType: "UserGroup", accessorToken: analysts, name: "Analysts", action: "view" },
    ]);
    await clean(program);
  });

  it("out-of-band changes show in plain `pulumi preview`, one line per resource; up repairs with only the needed writes; preview is clean", async () => {
    // On the access-managed collection: a grant removed, an action changed, an extra grant, the level opened.
    const group = await permissionOf("spaces", space2, analysts);
    await api("DELETE", `/spaces/${space2}/permissions/${group.token}`);
    const grace = await permissionOf("spaces", space2, token("grace"));
    await api("PATCH", `/spaces/${space2}/permissions/${grace.token}`, { permission: { action: "view" } });
    await api("POST", `/spaces/${space2}/permissions`, {
      permission: { action: "edit", accessor_type: "Account", accessor_token: token("edsger") },
    });
    await api("PATCH", `/spaces/${space2}`, { space: { default_access_level: "edit" } });
    // The other collection: the action changed. The data source: the grant removed.
    const alan = await permissionOf("spaces", space3, token("alan"));
    await api("PATCH", `/spaces/${space3}/permissions/${alan.token}`, { permission: { action: "edit" } });
    const query = await permissionOf("data_sources", lake, analysts);
    await api("DELETE", `/data_sources/${lake}/permissions/${query.token}`);

    const preview = await ws.preview(env(program));
    assert.deepEqual(warnings(preview).sort(), [
      `mode:CollectionAccess collection "Space 2" of ${workspace}: 3 grants differ from the program — up grants ` +
        'group "Analysts" (view); sets grace to edit (view now); revokes edsger (edit); the default level is ' +
        "edit, the program says restricted — up sets restricted",
      `mode:CollectionPermission collection "Space 3" of ${workspace}: the grant to alan was changed from view to ` +
        "edit outside Pulumi — up sets it to view",
      `mode:DataSourcePermission data source "Events Lake" of ${workspace}: the query grant to group "Analysts" ` +
        "was removed outside Pulumi — up grants it again",
    ]);
    assert.match(preview.stdout, /^ ~ +pulumi-nodejs:dynamic\/mode:CollectionAccess team-access update *$/m);
    assert.match(preview.stdout, /^ ~ +pulumi-nodejs:dynamic\/mode:CollectionPermission reader update *$/m);
    assert.match(
      preview.stdout,
      /^ \+- +pulumi-nodejs:dynamic\/mode:DataSourcePermission lake-query replace *$/m,
    );

    await takeRequests(emulator);
    await ws.up(env(program));
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "POST mode.spacePermissions.create": 1,
      "PATCH mode.spacePermissions.update": 2,
      "DELETE mode.spacePermissions.delete": 1,
      "PATCH mode.spaces.update": 1,
      "POST mode.dataSourcePermissions.create": 1,
    });
    assert.deepEqual(await grants("spaces", space2), ["Analysts:view", "grace:edit"]);
    assert.equal(await level(space2), "restricted");
    assert.deepEqual(await grants("spaces", space3), ["alan:view"]);
    assert.deepEqual(await grants("data_sources", lake), ["Analysts:query"]);
    await clean(program);
  });

  it("destroy removes every grant the stack made and puts the default level back", async () => {
    await takeRequests(emulator);
    await ws.destroy(env(program));
    assert.deepEqual(writes(await takeRequests(emulator)), {
      "DELETE mode.spacePermissions.delete": 3,
      "PATCH mode.spaces.update": 1,
      "DELETE mode.dataSourcePermissions.delete": 1,
      "DELETE mode.groups.delete": 1,
    });
    const groups = await api<{ _embedded: { groups: { token: string }[] } }>("GET", "/groups?per_page=1000");
    assert.ok(
      !groups._embedded.groups.some((g) => g.token === analysts),
      "the Analysts group is left behind",
    );
    // Group 2's edit grant on Space 2 was revoked by the first up (undeclared): destroy does not re-grant it.
    assert.deepEqual(await grants("spaces", space2), []);
    assert.equal(await level(space2), "view");
    assert.deepEqual(await grants("spaces", space3), []);
    assert.equal(await level(space3), "edit");
    assert.deepEqual(await grants("data_sources", lake), []);
  });

  describe("one owner per object", () => {
    it("a CollectionPermission on a collection a CollectionAccess manages fails the preview, naming the collection", async () => {
      await takeRequests(emulator);
      const preview = await ws.preview({
        ...env({ ...program, conflict: "permission" }),
        allowFailure: true,
      });
      assert.notEqual(preview.code, 0);
      assert.ok(
        (preview.stdout + preview.stderr).includes(
          `mode:CollectionPermission "second-reader" would manage the grant to ada on collection ${space2} of ` +
            `${workspace}, but mode:CollectionAccess "team-access" already manages every grant on collection ` +
            `${space2} of ${workspace}`,
        ),
        preview.stdout + preview.stderr,
      );
      assert.deepEqual(writes(await takeRequests(emulator)), {});
    });

    it("a Collection and a CollectionAccess both declaring its default level: the up that creates it fails before the access sends anything; declared once, it runs; a rename previews the access unchanged", async () => {
      const both: Program = {
        workspace,
        collection: { name: "Contested", defaultAccess: "view" },
        access: { defaultAccess: "restricted", grants: [{ username: "ada", action: "view" }] },
      };
      await takeRequests(emulator);
      const up = await ws.up({ ...env(both), allowFailure: true });
      assert.notEqual(up.code, 0);
      const text = up.stdout + up.stderr;
      assert.match(
        text,
        /mode:CollectionAccess "team-access" would manage the default access level of collection \w+ of acme-analytics, but mode:Collection "team-collection" already manages the default access level of collection \w+ of acme-analytics/,
      );
      const sent = writes(await takeRequests(emulator));
      assert.equal(sent["POST mode.spaces.create"], 1, JSON.stringify(sent));
      assert.equal(sent["POST mode.spacePermissions.create"], undefined, JSON.stringify(sent));

      // The level declared on the Collection only: the access resource manages the grants beside it.
      const once: Program = { ...both, access: { grants: [{ username: "ada", action: "view" }] } };
      await ws.up(env(once));
      const token = String((await ws.outputs()).collectionToken);
      assert.deepEqual(await grants("spaces", token), ["ada:view"]);
      assert.equal(await level(token), "view");
      await clean(once);

      // Renaming the collection (or changing its level) is an in-place update of the Collection; its
      // token is the resource's id, which the engine keeps known, so the access taking it is unchanged.
      const renamed: Program = {
        ...once,
        collection: { name: "Contested (renamed)", defaultAccess: "view" },
      };
      const steps = (await ws.previewJson(env(renamed))).steps ?? [];
      // `--json` lists the steps that change (and the stack): only the Collection's update.
      const changes = steps
        .filter((step) => step.op !== "same")
        .map((step) => `${step.op} ${step.urn.split("::").pop() ?? ""}`);
      assert.deepEqual(changes, ["update team-collection"]);
      await ws.up(env(renamed));
      assert.deepEqual(await grants("spaces", token), ["ada:view"]);
      await clean(renamed);
      await ws.destroy(env(renamed));
    });
  });
});
