/**
 * The layering rules of eslint.config.mjs fire: each rule on a deliberately bad file (linted as if it
 * stood in the folder the rule guards), and the no-cycle rule on two real files importing each other.
 * A rule that stopped firing would let the layering rot without anyone noticing.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ESLint } from "eslint";
import { repoRoot } from "../../testing/engine";

const root = repoRoot();

/** The messages of the rules that fire on `code` linted as the file `relativePath`. */
async function fired(relativePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativePath) });
  assert.ok(result, `no lint result for ${relativePath}`);
  return result.messages.map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
}

describe("layering lint rules", function () {
  this.timeout(60_000);

  const cases: Array<[string, string, string, RegExp]> = [
    [
      "provider ↛ sdk",
      "provider/bad.ts",
      'import "../sdk/shim";',
      /provider\/ runs inside the Pulumi provider/,
    ],
    [
      "provider ↛ emulator",
      "provider/resources/bad.ts",
      'import "../../emulator";',
      /provider\/ runs inside the Pulumi provider/,
    ],
    [
      "provider ↛ testing",
      "provider/collections/bad.ts",
      'import "../../testing/engine";',
      /provider\/ runs/,
    ],
    ["client ↛ settings", "provider/client/bad.ts", 'import "../settings";', /knows nothing of settings/],
    ["client ↛ context", "provider/client/bad.ts", 'import "../context";', /knows nothing of settings/],
    [
      "client ↛ collections",
      "provider/client/bad.ts",
      'import "../collections/listing";',
      /knows nothing of settings/,
    ],
    ["client ↛ resources", "provider/client/bad.ts", 'import "../resources/group";', /knows nothing/],
    [
      "a resource file ↛ another resource file",
      "provider/resources/bad.ts",
      'import "./workspace-membership";',
      /A resource file never imports another resource file/,
    ],
    [
      "collections ↛ resources",
      "provider/collections/bad.ts",
      'import "../resources/workspace-invite";',
      /serves the resources and never imports them/,
    ],
    [
      "emulator ↛ provider",
      "emulator/bad.ts",
      'import "../provider/client";',
      /The emulator is our own reading/,
    ],
    ["emulator ↛ sdk", "emulator/bad.ts", 'import "../sdk";', /The emulator is our own reading/],
    ["sdk ↛ emulator", "sdk/bad.ts", 'import "../emulator";', /sdk\/ is what a Pulumi program imports/],
    ["sdk ↛ testing", "sdk/bad.ts", 'import "../testing/engine";', /sdk\/ is what a Pulumi program imports/],
    ["cli ↛ sdk", "cli/bad.ts", 'import "../sdk";', /cli\/ runs on the clients/],
    ["testing ↛ tests", "testing/bad.ts", 'import "../tests/support/fakes";', /testing\/ is the harness/],
  ];

  for (const [name, file, code, message] of cases) {
    it(`${name}: fires on ${file}`, async () => {
      const messages = await fired(file, `${code}\n`);
      assert.ok(
        messages.some((m) => m.startsWith("no-restricted-imports: ") && message.test(m)),
        `expected ${message} among: ${JSON.stringify(messages)}`,
      );
    });
  }

  it("allowed imports pass: a resource uses its collection's layer, a client uses the rules", async () => {
    const resource = await fired("provider/resources/bad.ts", 'import "../collections/listing";\n');
    assert.deepEqual(
      resource.filter((m) => m.startsWith("no-restricted-imports")),
      [],
    );
    const client = await fired("provider/client/bad.ts", 'import "../rules";\nimport "./errors";\n');
    assert.deepEqual(
      client.filter((m) => m.startsWith("no-restricted-imports")),
      [],
    );
  });

  it("no import cycle: two files importing each other are refused", async () => {
    const dir = fs.mkdtempSync(path.join(root, "provider", "lint-cycle-"));
    try {
      fs.writeFileSync(
        path.join(dir, "a.ts"),
        'import { b } from "./b";\nexport const a = (): number => b();\n',
      );
      fs.writeFileSync(
        path.join(dir, "b.ts"),
        'import { a } from "./a";\nexport const b = (): number => a();\n',
      );
      const eslint = new ESLint({ cwd: root });
      const results = await eslint.lintFiles([path.join(dir, "a.ts")]);
      const messages = results.flatMap((r) => r.messages.map((m) => `${m.ruleId ?? "parse"}: ${m.message}`));
      assert.ok(
        messages.some((m) => m.startsWith("import-x/no-cycle")),
        `expected import-x/no-cycle among: ${JSON.stringify(messages)}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the repository itself passes every layering rule", async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(["provider", "sdk", "emulator", "testing", "bench"]);
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "import-x/no-cycle")
        .map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    assert.deepEqual(broken, []);
  });
});
