/**
 * The schemas are the one source of each resource's and read function's documentation and SDK shape:
 *
 * - the generated pages (`npm run docs`: docs/resources/<kind>.md, docs/functions.md) are what the
 *   generator makes from the current sources, every resource has one, and no page is left over from
 *   a resource that is gone;
 * - every SDK class has exactly its resource's properties: its `declare public readonly` outputs and
 *   the properties it registers are the state schema's keys, its args interface has the input
 *   schema's keys (read from the SDK sources with the TypeScript parser);
 * - the README lists every resource page.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import {
  documentedResources,
  generateDocs,
  type DocumentedResource,
  type GeneratedDoc,
} from "../../scripts/docs";
import { SETTINGS } from "../../provider/settings";
import { repoRoot } from "../../testing/engine";

const ROOT = repoRoot();

/** Runs `make`; a failure is reported by a test (not thrown while mocha loads the file). */
function attempt<T>(make: () => T, fallback: T): { value: T; error?: unknown } {
  try {
    return { value: make() };
  } catch (error) {
    return { value: fallback, error };
  }
}

describe("docs generated from the schemas", () => {
  const resources = attempt(() => documentedResources(ROOT), []).value;
  const run = attempt<GeneratedDoc[]>(() => generateDocs(ROOT), []);
  const generated = run.value;

  it("the generator runs: every resource has its prose, its example and a description on every property", () => {
    if (run.error !== undefined) throw run.error;
  });

  it("every resource kind has a page, and the read functions theirs", () => {
    const pages = generated.map((doc) => doc.path);
    for (const { name } of resources) assert.ok(pages.includes(`docs/resources/${name}.md`), name);
    assert.ok(pages.includes("docs/functions.md"));
    assert.ok(resources.length >= 7, `only ${resources.length} resource kinds found`);
  });

  for (const doc of generated) {
    it(`${doc.path} is up to date (npm run docs)`, () => {
      const full = path.join(ROOT, doc.path);
      assert.ok(fs.existsSync(full), `${doc.path} is missing: run npm run docs and commit it`);
      // Compared as strings: a difference is shown as a diff by mocha.
      assert.equal(fs.readFileSync(full, "utf8"), doc.text, `${doc.path} is stale: run npm run docs`);
    });
  }

  it("docs/resources/ holds no page of a resource that does not exist", () => {
    const expected = new Set(resources.map((r) => `${r.name}.md`));
    const leftover = fs
      .readdirSync(path.join(ROOT, "docs", "resources"))
      .filter((file) => file.endsWith(".md") && !expected.has(file));
    assert.deepEqual(leftover, [], "pages without a resource: delete them or restore the resource");
  });

  it("every prose file belongs to a page", () => {
    const names = new Set(resources.map((r) => `${r.name}.md`));
    const orphans = fs
      .readdirSync(path.join(ROOT, "docs", "prose", "resources"))
      .filter((file) => !names.has(file));
    assert.deepEqual(orphans, []);
  });

  it("the README's settings table names every setting's config key and environment variable", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const missing = Object.values(SETTINGS).filter(
      (s) => !readme.includes(`| \`${s.configKey}\` | \`${s.envVar}\` |`),
    );
    assert.deepEqual(
      missing.map((s) => s.configKey),
      [],
      "add a row to the README's Credentials and endpoints table",
    );
  });

  it("the README links every resource page", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const missing = resources.filter(({ name }) => !readme.includes(`(docs/resources/${name}.md)`));
    assert.deepEqual(
      missing.map((r) => r.name),
      [],
      "add them to the README's resource table",
    );
  });
});

/** What an SDK source declares for one resource class. */
interface SdkShape {
  /** `declare public readonly` properties of the class (its outputs). */
  readonly outputs: string[];
  /** The properties the constructor registers (the object literal passed to `super`). */
  readonly registered: string[];
  /** The properties of the `<Kind>Args` interface. */
  readonly args: string[];
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

/** Reads a resource class's shape from its SDK source. */
function sdkShape(file: string, kind: string): SdkShape {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  let shape: { outputs?: string[]; registered?: string[]; args?: string[] } = {};
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === `${kind}Args`) {
      shape = {
        ...shape,
        args: node.members.filter(ts.isPropertySignature).map((m) => propertyName(m.name)),
      };
    }
    if (ts.isClassDeclaration(node) && node.name?.text === kind) {
      const outputs = node.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => m.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.DeclareKeyword))
        .map((m) => propertyName(m.name));
      let registered: string[] | undefined;
      const findSuper = (inner: ts.Node): void => {
        if (ts.isCallExpression(inner) && inner.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const props = inner.arguments[2];
          if (props && ts.isObjectLiteralExpression(props)) {
            registered = props.properties
              .filter(
                (p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
                  ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p),
              )
              .map((p) => propertyName(p.name));
          }
        }
        ts.forEachChild(inner, findSuper);
      };
      ts.forEachChild(node, findSuper);
      shape = { ...shape, outputs, registered };
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const relative = path.relative(ROOT, file);
  assert.ok(shape.args, `${relative} has no interface ${kind}Args`);
  assert.ok(shape.outputs, `${relative} has no class ${kind}`);
  assert.ok(shape.registered, `${relative}: class ${kind} passes no object literal of properties to super()`);
  return { outputs: shape.outputs, registered: shape.registered, args: shape.args };
}

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

describe("the SDK classes have exactly their schemas' properties", () => {
  const cases: DocumentedResource[] = documentedResources(ROOT);
  for (const { name, declaration } of cases) {
    it(`sdk/${name}.ts: mode.${declaration.kind}`, () => {
      const shape = sdkShape(path.join(ROOT, "sdk", `${name}.ts`), declaration.kind);
      const state = sorted(Object.keys(declaration.state.properties));
      const inputs = sorted(Object.keys(declaration.inputs.properties));
      assert.deepEqual(
        sorted(shape.outputs),
        state,
        `outputs of class ${declaration.kind} vs the state schema`,
      );
      assert.deepEqual(
        sorted(shape.registered),
        state,
        `properties registered by ${declaration.kind} vs the state schema`,
      );
      assert.deepEqual(sorted(shape.args), inputs, `${declaration.kind}Args vs the input schema`);
    });
  }

  it("catches a property added to one and not the other", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-shape-"));
    try {
      const file = path.join(dir, "thing.ts");
      fs.writeFileSync(
        file,
        [
          "export interface ThingArgs { a: string; extra?: string }",
          "export class Thing extends Base {",
          "  declare public readonly a: Output<string>;",
          "  declare public readonly b: Output<string>;",
          "  constructor(name: string, args: ThingArgs) { super(shim, name, { a: args.a, b: undefined, c: undefined }); }",
          "}",
        ].join("\n"),
      );
      const shape = sdkShape(file, "Thing");
      assert.deepEqual(shape, { outputs: ["a", "b"], registered: ["a", "b", "c"], args: ["a", "extra"] });
      assert.notDeepEqual(sorted(shape.registered), sorted(shape.outputs));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
