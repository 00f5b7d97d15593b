/**
 * `pulumi-mode generate`: the program is stable (the same workspace gives the same bytes; only the
 * timestamp line varies), its names are unique and its identifiers valid even for awkward names,
 * it declares exactly what the lists hold, and it type-checks against this package's SDK types.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { gather } from "../../cli/gather";
import { generateProject, PARTS, type GenerateOptions, type Part } from "../../cli/generate";
import type { WorkspaceSnapshot } from "../../cli/model";
import { dependencyVersions } from "../../cli/package-info";
import { fakeLists, sampleWorkspace, type RawWorkspace } from "../support/cli-workspace";

const ROOT = path.join(__dirname, "..", "..", "..");
const OPTIONS: GenerateOptions = { generatedAt: "2026-01-02T03:04:05.000Z", versions: dependencyVersions() };

async function snapshotOf(raw: RawWorkspace = sampleWorkspace()): Promise<WorkspaceSnapshot> {
  return gather(fakeLists(raw), "acme", "https://app.mode.com/api");
}

/** A workspace whose names clash, start with digits, are reserved words, or have no ASCII at all. */
function awkwardWorkspace(): RawWorkspace {
  const raw = sampleWorkspace();
  const names = [
    "Sales",
    "sales",
    "SALES!",
    "class",
    "2024 cohort",
    "Ünïcode Group",
    "日本",
    "a-1b",
    "a1b",
    "sales-g-x",
  ];
  raw.groups = names.map((name, i) => ({ token: `g-x${i}`, name, state: "active", managed: false }));
  raw.groupMemberships = Object.fromEntries(raw.groups.map((g) => [g.token, [{ member_token: "u-bob" }]]));
  raw.spaces = names.map((name, i) => ({
    token: `s-x${i}`,
    name,
    space_type: "custom",
    state: "active",
    default_access_level: "restricted",
  }));
  raw.spacePermissions = Object.fromEntries(
    raw.spaces.map((s, i) => [
      s.token,
      [{ token: `p-s${i}`, action: "view", accessor_type: "UserGroup", accessor_token: `g-x${i}` }],
    ]),
  );
  raw.dataSources = [{ token: "d-1", name: "Warehouse", default_access_level: "restricted" }];
  raw.dataSourcePermissions = {
    "d-1": [
      { token: "p-d1", action: "view", accessor_type: "UserGroup", accessor_token: "g-x0" },
      { token: "p-d2", action: "view", accessor_type: "UserGroup", accessor_token: "g-x1" },
      { token: "p-d3", action: "query", accessor_type: "Account", accessor_token: "u-Grace.Hopper" },
    ],
  };
  return raw;
}

/** Every `new mode.<Kind>("<name>", …)` and every variable the program declares, parsed by TypeScript. */
function declarations(source: string): { resources: { kind: string; name: string }[]; variables: string[] } {
  const file = ts.createSourceFile("index.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.deepEqual(
    diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    [],
    "the program parses",
  );
  const resources: { kind: string; name: string }[] = [];
  const variables: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const first = node.arguments?.[0];
      assert.ok(first && ts.isStringLiteral(first), "a resource name is a string literal");
      resources.push({ kind: node.expression.name.text, name: first.text });
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) variables.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { resources, variables };
}

/** Runs the repo's tsc on a project directory; resolves to its output (empty when it type-checks). */
function typecheck(dir: string): Promise<{ code: number; output: string }> {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, "--noEmit", "-p", path.join(dir, "tsconfig.json")],
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** Writes a generated project into a temporary directory whose node_modules is this repository's. */
function writeProject(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-generated-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

describe("cli generate: the program", () => {
  it("is the same bytes for the same workspace, and only the timestamp line varies", async () => {
    const a = generateProject(await snapshotOf(), OPTIONS).files;
    const b = generateProject(await snapshotOf(), OPTIONS).files;
    assert.deepEqual(a, b);
    const later = generateProject(await snapshotOf(), {
      ...OPTIONS,
      generatedAt: "2027-05-06T07:08:09.000Z",
    }).files;
    for (const name of Object.keys(a)) {
      if (name === "index.ts") continue;
      assert.equal(later[name], a[name], name);
    }
    const before = a["index.ts"]!.split("\n");
    const after = later["index.ts"]!.split("\n");
    const differing = before.map((_line, i) => i).filter((i) => before[i] !== after[i]);
    assert.deepEqual(differing, [1]);
    assert.equal(before[1], "// on 2026-01-02T03:04:05.000Z.");
  });

  it("does not depend on the order the API lists things in", async () => {
    const raw = sampleWorkspace();
    const reversed: RawWorkspace = {
      ...raw,
      memberships: [...raw.memberships].reverse(),
      groups: [...raw.groups].reverse(),
      spaces: [...raw.spaces].reverse(),
      dataSources: [...raw.dataSources].reverse(),
      spacePermissions: Object.fromEntries(
        Object.entries(raw.spacePermissions).map(([k, v]) => [k, [...v].reverse()]),
      ),
      groupMemberships: Object.fromEntries(
        Object.entries(raw.groupMemberships).map(([k, v]) => [k, [...v].reverse()]),
      ),
    };
    assert.deepEqual(
      generateProject(await snapshotOf(reversed), OPTIONS).files,
      generateProject(await snapshotOf(raw), OPTIONS).files,
    );
  });

  it("declares every member, unmanaged group, collection grant and data-source grant as listed", async () => {
    const raw = sampleWorkspace();
    const text = generateProject(await snapshotOf(raw), OPTIONS).files["index.ts"]!;
    const { resources } = declarations(text);
    const count = (kind: string) => resources.filter((r) => r.kind === kind).length;
    assert.equal(count("WorkspaceMembers"), 1);
    for (const m of raw.memberships)
      assert.ok(text.includes(`    ${JSON.stringify(m.member_username)},`), m.member_username);
    assert.equal(count("Group"), 3, "the SCIM-managed group is not declared");
    assert.equal(count("GroupMembers"), 3);
    assert.match(
      text,
      /Managed by the identity provider \(SCIM\)[^\n]*\n\/\/ {3}"Okta Finance" \(token g-scim\)/,
    );
    assert.equal(count("CollectionAccess"), 5, "one per custom collection, no personal one");
    assert.ok(!text.includes("s-mine"));
    assert.equal(count("DataSourcePermission"), 4);
    // groups are referenced through the generated Group's token; the SCIM group by its token
    assert.match(text, /\{ group: analystsGroup\.token, action: "view" \}/);
    assert.match(
      text,
      /\{ group: "g-scim", action: "view" \}, \/\/ group Okta Finance \(managed by the identity provider\)/,
    );
    assert.match(
      text,
      /defaultAccess: "restricted",\n {2}grants: \[\n {4}\{ username: "bob", action: "edit" \},/,
    );
    assert.match(text, /group: engCoreTeamGroup\.token,\n {2}usernames: \["bob", "dave", "Grace\.Hopper"\],/);
  });

  it("gives unique names and valid identifiers to awkward names", async () => {
    const text = generateProject(await snapshotOf(awkwardWorkspace()), OPTIONS).files["index.ts"]!;
    const { resources, variables } = declarations(text);
    for (const kind of new Set(resources.map((r) => r.kind))) {
      const names = resources.filter((r) => r.kind === kind).map((r) => r.name);
      assert.equal(new Set(names).size, names.length, `${kind} names are unique: ${names.join(", ")}`);
      for (const name of names) assert.match(name, /^[a-z0-9][a-z0-9-]*$/, name);
    }
    assert.equal(new Set(variables).size, variables.length, variables.join(", "));
    assert.equal(resources.filter((r) => r.kind === "Group").length, 10);
    assert.ok(variables.includes("classGroup"));
    assert.ok(variables.includes("_2024CohortGroup"));
    // names clash only when they must: "Sales", "sales" and "SALES!" all slug to "sales"
    assert.ok(resources.some((r) => r.kind === "Group" && r.name === "sales-g-x0"));
    assert.ok(resources.some((r) => r.kind === "Group" && r.name === "unicode-group"));
    assert.ok(
      resources.some((r) => r.kind === "Group" && r.name === "g-x6"),
      "no ASCII: the token",
    );
  });

  it("narrows to --include: groups and collections only, groups still referenced by their token output", async () => {
    const include = new Set<Part>(["groups", "collections"]);
    const text = generateProject(await snapshotOf(), { ...OPTIONS, include }).files["index.ts"]!;
    const kinds = new Set(declarations(text).resources.map((r) => r.kind));
    assert.deepEqual([...kinds].sort(), ["CollectionAccess", "Group", "GroupMembers"]);
    const collectionsOnly = generateProject(await snapshotOf(), {
      ...OPTIONS,
      include: new Set<Part>(["collections"]),
    }).files["index.ts"]!;
    assert.match(
      collectionsOnly,
      /\{ group: "g-analysts", action: "view" \}, \/\/ group Analysts \(not declared here\)/,
    );
  });

  it('writes unmanaged: "report" on every authoritative resource with --unmanaged report, and nowhere by default', async () => {
    const line =
      '  unmanaged: "report", // keeps (and names) whoever this does not declare; "remove" once reviewed';
    const report = generateProject(await snapshotOf(), { ...OPTIONS, unmanaged: "report" }).files[
      "index.ts"
    ]!;
    const { resources } = declarations(report);
    const authoritative = resources.filter((r) =>
      ["WorkspaceMembers", "GroupMembers", "CollectionAccess"].includes(r.kind),
    );
    assert.equal(report.split("\n").filter((l) => l === line).length, authoritative.length);
    assert.equal(authoritative.length, 1 + 3 + 5);
    const plain = generateProject(await snapshotOf(), { ...OPTIONS, unmanaged: "remove" }).files["index.ts"]!;
    assert.ok(!plain.includes("unmanaged"));
  });

  it("warns about a grant to an accessor the lists do not know (up would remove it)", async () => {
    const raw = sampleWorkspace();
    raw.spacePermissions["s-open"] = [
      { token: "px", action: "edit", accessor_type: "Account", accessor_token: "u-gone" },
    ];
    const project = generateProject(await snapshotOf(raw), OPTIONS);
    assert.equal(project.warnings.length, 1);
    assert.match(
      project.warnings[0]!,
      /collection "Open" has a edit grant \(permission px\) to Account u-gone/,
    );
    assert.ok(project.files["index.ts"]!.includes(`// WARNING: ${project.warnings[0]}`));
  });

  it("writes a project that depends on this package and the @pulumi/pulumi it supports", async () => {
    const files = generateProject(await snapshotOf(), OPTIONS).files;
    const pkg = JSON.parse(files["package.json"]!) as { dependencies: Record<string, string> };
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      version: string;
      peerDependencies: Record<string, string>;
    };
    assert.deepEqual(pkg.dependencies, {
      "@pulumi/pulumi": own.peerDependencies["@pulumi/pulumi"],
      "pulumi-mode": `^${own.version}`,
    });
    assert.match(
      files["Pulumi.yaml"]!,
      /^name: mode-acme\nruntime:|^name: mode-acme\ndescription: .*\nruntime:\n {2}name: nodejs\n/,
    );
  });

  describe("type-checks against this package's SDK types", function () {
    this.timeout(120_000);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("with every part", async () => {
      const dir = writeProject(generateProject(await snapshotOf(awkwardWorkspace()), OPTIONS).files);
      dirs.push(dir);
      const result = await typecheck(dir);
      assert.equal(result.code, 0, result.output);
    });

    it("with the members only", async () => {
      const include = new Set<Part>(["members"]);
      const dir = writeProject(generateProject(await snapshotOf(), { ...OPTIONS, include }).files);
      dirs.push(dir);
      const result = await typecheck(dir);
      assert.equal(result.code, 0, result.output);
    });

    it("fails on a program that misuses the SDK (the check is real)", async () => {
      const files = generateProject(await snapshotOf(), {
        ...OPTIONS,
        include: new Set<Part>(["members"]),
      }).files;
      const dir = writeProject({
        ...files,
        "index.ts": files["index.ts"]!.replace("usernames: [", "usernamez: ["),
      });
      dirs.push(dir);
      const result = await typecheck(dir);
      assert.equal(result.code, 1);
      assert.match(result.output, /usernamez/);
    });
  });

  it("knows every part", () => {
    assert.deepEqual([...PARTS], ["members", "groups", "collections", "data-sources"]);
  });
});
