/**
 * `npm run docs`: writes the reference pages from the one source of each fact.
 *
 * - `docs/resources/<kind>.md` for every resource file `provider/resources/<kind>.ts`: its
 *   arguments and outputs from the resource's input and state schemas (descriptions, types,
 *   required or optional, limits, the meaning of a pattern from `provider/rules.ts`, "changing it
 *   replaces the resource" from the declaration's `identity`), its example program
 *   (`examples/<kind>/index.ts`, or the example that declares the kind, for kinds shown together)
 *   and the hand-written prose `docs/prose/resources/<kind>.md`
 *   (a summary before its first `##` heading; drift, adoption, delete, … after).
 * - `docs/functions.md` from the read functions' schemas (`READ_FUNCTIONS` in `sdk/functions.ts`,
 *   `ACCESS_READ_FUNCTIONS` in `sdk/access-functions.ts`)
 *   and the prose `docs/prose/functions.md`.
 *
 * Adding a resource kind to the docs is adding its prose file: the generator fails, naming the
 * file, when a resource has none (or no example, or a property without a description). No network,
 * no engine; the output depends on the sources only. tests/unit/docs.test.ts regenerates the pages
 * in memory and fails when the files differ.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceDeclaration } from "../provider/resource";
import { RULES } from "../provider/rules";
import { ACCESS_READ_FUNCTIONS } from "../sdk/access-functions";
import { READ_FUNCTIONS } from "../sdk/functions";

/** The subset of JSON Schema the resource and function schemas use. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly maxItems?: number;
  readonly items?: JsonSchema;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
}

/** One generated file: its path relative to the repository root, and its text. */
export interface GeneratedDoc {
  readonly path: string;
  readonly text: string;
}

/** A resource kind as the docs know it: its file name (`workspace-invite`) and its declaration. */
export interface DocumentedResource {
  readonly name: string;
  readonly declaration: ResourceDeclaration;
}

/** The repository root: the nearest directory up from here whose package.json is pulumi-mode's. */
export function repositoryRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-mode"
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error("the pulumi-mode repository root was not found");
  }
}

/**
 * Every resource kind: one per `provider/resources/*.ts`, sorted by file name, with the
 * declaration `implement()` attached to the module's exported implementation.
 */
export function documentedResources(root: string = repositoryRoot()): DocumentedResource[] {
  const dir = path.join(root, "provider", "resources");
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort()
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(`../provider/resources/${name}`) as Record<string, unknown>;
      const declarations = Object.values(exported)
        .filter((value): value is { declaration: ResourceDeclaration } => isDeclared(value))
        .map((value) => value.declaration);
      if (declarations.length !== 1) {
        throw new Error(
          `provider/resources/${name}.ts must export exactly one implementation made by implement() (found ${declarations.length})`,
        );
      }
      return { name, declaration: declarations[0] };
    });
}

function isDeclared(value: unknown): value is { declaration: ResourceDeclaration } {
  if (typeof value !== "object" || value === null || !("declaration" in value)) return false;
  const declaration = (value as { declaration: unknown }).declaration;
  return typeof declaration === "object" && declaration !== null && "kind" in declaration;
}

/** Every generated page, sorted by path. */
export function generateDocs(root: string = repositoryRoot()): GeneratedDoc[] {
  const docs = documentedResources(root).map((resource) => resourcePage(root, resource));
  docs.push(functionsPage(root));
  return docs.sort((a, b) => a.path.localeCompare(b.path));
}

// ---- a resource's page ------------------------------------------------------------------------------

function resourcePage(root: string, { name, declaration }: DocumentedResource): GeneratedDoc {
  const kind = declaration.kind;
  const out = `docs/resources/${name}.md`;
  const proseFile = `docs/prose/resources/${name}.md`;
  const exampleFile = exampleOf(root, name, kind);
  const prose = readSource(
    root,
    proseFile,
    `every resource needs its hand-written prose: a summary, then ## sections on drift, adoption and delete`,
  );
  const example = readSource(root, exampleFile, `every resource needs an example program`);
  const { summary, sections } = splitProse(rebaseLinks(prose, proseFile, out));
  const where = `provider/resources/${name}.ts`;
  const inputs = declaration.inputs as unknown as JsonSchema;
  const state = declaration.state as unknown as JsonSchema;
  const inputKeys = Object.keys(inputs.properties ?? {});
  // Every state key but the inputs it repeats; an input kept under another key (`storedAs`) leaves
  // its own name to an output (e.g. `unmanaged`: the argument is a mode, the output lists who).
  const repeated = inputKeys.filter((key) => declaration.storedAs[key] === undefined);
  const outputs = Object.entries(state.properties ?? {}).filter(([key]) => !repeated.includes(key));

  const lines: string[] = [
    generatedNotice([where, proseFile, exampleFile]),
    "",
    `# \`mode.${kind}\``,
    "",
    summary,
    "",
    `Resource type \`pulumi-nodejs:dynamic/mode:${kind}\`; the class is [\`sdk/${name}.ts\`](${relative(out, `sdk/${name}.ts`)}).`,
    "",
    "## Example",
    "",
    `From [${exampleFile}](${relative(out, exampleFile)}):`,
    "",
    "```ts",
    example.trimEnd(),
    "```",
    "",
    "## Arguments",
    "",
    "| argument | type | | description |",
    "| --- | --- | --- | --- |",
  ];
  const argumentItems: string[] = [];
  for (const [key, schema] of Object.entries(inputs.properties ?? {})) {
    const required = (inputs.required ?? []).includes(key) ? "required" : "optional";
    const comparison = declaration.identity[key];
    const change =
      comparison === undefined
        ? "Changing it updates the resource in place."
        : `Changing it **replaces** the resource${comparison === "caseInsensitive" ? " (a change of case alone is no change)" : ""}.`;
    const text = [described(schema, `${where}: input \`${key}\``), limits(schema), change].filter(Boolean);
    const anchor = `${key.toLowerCase()}-argument-items`;
    lines.push(`| \`${key}\` | ${typeOf(schema, anchor)} | ${required} | ${cell(text.join(" "))} |`);
    // A list of objects (e.g. CollectionAccess `grants`): its fields in their own table.
    const item = schema.items;
    if (item?.properties) {
      argumentItems.push(
        "",
        `### \`${key}\` argument items`,
        "",
        "| field | type | description |",
        "| --- | --- | --- |",
      );
      for (const [field, fieldSchema] of Object.entries(item.properties)) {
        const optional = (item.required ?? []).includes(field) ? "" : " (optional)";
        const fieldText = [
          described(fieldSchema, `${where}: field \`${field}\` of input \`${key}\``),
          limits(fieldSchema),
        ];
        argumentItems.push(
          `| \`${field}\` | ${typeOf(fieldSchema)} | ${cell(fieldText.filter(Boolean).join(" ") + optional)} |`,
        );
      }
    }
  }
  lines.push(...argumentItems);
  lines.push(
    "",
    "## Outputs",
    "",
    "Every argument is also an output, as stored at the last run. Besides:",
    "",
  );
  lines.push("| output | type | description |", "| --- | --- | --- |");
  const nested: string[] = [];
  for (const [key, schema] of outputs) {
    lines.push(
      `| \`${key}\` | ${typeOf(schema, `${key.toLowerCase()}-items`)} | ${cell(described(schema, `${where}: output \`${key}\``))} |`,
    );
    const item = schema.items;
    if (item?.properties) {
      nested.push("", `### \`${key}\` items`, "", "| field | type | description |", "| --- | --- | --- |");
      for (const [field, fieldSchema] of Object.entries(item.properties)) {
        const optional = (item.required ?? []).includes(field) ? "" : " (may be absent)";
        const text = described(fieldSchema, `${where}: field \`${field}\` of output \`${key}\``);
        nested.push(`| \`${field}\` | ${typeOf(fieldSchema)} | ${cell(text + optional)} |`);
      }
    }
  }
  lines.push(...nested);
  if (sections) lines.push("", sections);
  return { path: out, text: finish(lines) };
}

// ---- the read functions' page ------------------------------------------------------------------------

function functionsPage(root: string): GeneratedDoc {
  const out = "docs/functions.md";
  const proseFile = "docs/prose/functions.md";
  const where = "sdk/functions.ts, sdk/access-functions.ts";
  const prose = readSource(root, proseFile, "the read functions' page needs its hand-written introduction");
  const { summary, sections } = splitProse(rebaseLinks(prose, proseFile, out));
  const lines: string[] = [generatedNotice([where, proseFile]), "", "# Read functions", "", summary];
  const types = new Map<string, JsonSchema>();
  const functions = { ...READ_FUNCTIONS, ...ACCESS_READ_FUNCTIONS } as unknown as Record<
    string,
    { description: string; args: JsonSchema; result: JsonSchema }
  >;
  for (const [name, fn] of Object.entries(functions)) {
    lines.push(
      "",
      `## \`${name}\``,
      "",
      fn.description,
      "",
      "| argument | type | | description |",
      "| --- | --- | --- | --- |",
    );
    for (const [key, schema] of Object.entries(fn.args.properties ?? {})) {
      const required = (fn.args.required ?? []).includes(key) ? "required" : "optional";
      const text = [described(schema, `${where}: ${name} argument \`${key}\``), limits(schema)].filter(
        Boolean,
      );
      lines.push(`| \`${key}\` | ${typeOf(schema)} | ${required} | ${cell(text.join(" "))} |`);
    }
    lines.push("", "Result:", "", "| field | type | description |", "| --- | --- | --- |");
    for (const [key, schema] of Object.entries(fn.result.properties ?? {})) {
      if (schema.items?.title) types.set(schema.items.title, schema.items);
      lines.push(
        `| \`${key}\` | ${typeOf(schema)} | ${cell(described(schema, `${where}: ${name} result \`${key}\``))} |`,
      );
    }
  }
  for (const [title, schema] of [...types.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push("", `## \`${title}\``, "", described(schema, `${where}: ${title}`), "");
    lines.push("| field | type | description |", "| --- | --- | --- |");
    for (const [key, field] of Object.entries(schema.properties ?? {})) {
      lines.push(
        `| \`${key}\` | ${typeOf(field)} | ${cell(described(field, `${where}: ${title} field \`${key}\``))} |`,
      );
    }
  }
  if (sections) lines.push("", sections);
  return { path: out, text: finish(lines) };
}

// ---- rendering ---------------------------------------------------------------------------------------

function generatedNotice(sources: readonly string[]): string {
  return `<!-- Generated by \`npm run docs\` from ${sources.join(", ")}. Edit those, not this file. -->`;
}

/** A property's description; a property without one is an error naming it. */
function described(schema: JsonSchema, what: string): string {
  const text = schema.description?.trim();
  if (!text)
    throw new Error(`${what} has no description: every schema property needs one (it is its documentation)`);
  return text;
}

/** The TypeScript-like type of a property: `string`, `"User" \| "UserGroup"`, `string[]`, `object[]`. */
function typeOf(schema: JsonSchema, itemsAnchor?: string): string {
  if (schema.enum) {
    return `\`${schema.enum.map((value) => (value === null ? "null" : JSON.stringify(value))).join(" \\| ")}\``;
  }
  const item = schema.items;
  if (schema.type === "array" && item?.properties) {
    // A list of objects: its fields are described in their own section.
    const name = item.title ?? "object";
    const anchor = item.title?.toLowerCase() ?? itemsAnchor;
    return anchor === undefined ? `\`${name}[]\`` : `[\`${name}[]\`](#${anchor})`;
  }
  const types =
    schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : [...schema.type];
  const one = (type: string): string =>
    type === "array" ? `${typeOf(item ?? {}).replace(/`/g, "")}[]` : type === "integer" ? "number" : type;
  return `\`${types.map(one).join(" \\| ") || "unknown"}\``;
}

/** A property's limits in words: what a pattern means, lengths, list sizes, each item's limits. */
function limits(schema: JsonSchema): string {
  const text = limitsPhrase(schema);
  return text === "" ? "" : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function limitsPhrase(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.type === "array") {
    if (schema.maxItems !== undefined) parts.push(`at most ${number(schema.maxItems)} items`);
    const item = schema.items ? limitsPhrase(schema.items) : "";
    if (item !== "") parts.push(`each ${item}`);
    return parts.join(", ");
  }
  const { minLength, maxLength, pattern } = schema;
  if (pattern !== undefined) {
    const rule = Object.values(RULES).find((r) => "pattern" in r && r.pattern === pattern);
    parts.push(rule ? rule.expected : `matching \`${pattern}\``);
  }
  if (maxLength !== undefined) {
    parts.push(
      minLength !== undefined && minLength > 0
        ? `${number(minLength)}–${number(maxLength)} characters`
        : `at most ${number(maxLength)} characters`,
    );
  } else if (minLength !== undefined && minLength > 0) {
    parts.push(`at least ${number(minLength)} characters`);
  }
  return parts.join(", ");
}

function number(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Text fit for one table cell: no line breaks, no unescaped pipes. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/(?<!\\)\|/g, "\\|");
}

function finish(lines: string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

// ---- sources --------------------------------------------------------------------------------------------

/**
 * The example program of a resource: `examples/<name>/index.ts`, or else, for kinds shown together
 * in one example, the most focused example whose program declares the kind (`new mode.<Kind>(`):
 * one whose folder is named after the kind's family first (`examples/groups` for `group`, though
 * `examples/data-source-permission` declares a Group too), then the one declaring the fewest kinds,
 * then by folder name. When there is neither, the name's own path (reported as missing).
 */
function exampleOf(root: string, name: string, kind: string): string {
  const own = `examples/${name}/index.ts`;
  if (fs.existsSync(path.join(root, own))) return own;
  const family = (file: string): number => (file.startsWith(`examples/${name}`) ? 1 : 0);
  const candidates = fs
    .readdirSync(path.join(root, "examples"))
    .sort()
    .map((folder) => `examples/${folder}/index.ts`)
    .filter((file) => fs.existsSync(path.join(root, file)))
    .map((file) => ({ file, kinds: declaredKinds(fs.readFileSync(path.join(root, file), "utf8")) }))
    .filter((example) => example.kinds.has(kind))
    .sort((a, b) => family(b.file) - family(a.file) || a.kinds.size - b.kinds.size);
  return candidates[0]?.file ?? own;
}

/** The resource kinds a program declares (`new mode.<Kind>(`). */
function declaredKinds(program: string): Set<string> {
  return new Set([...program.matchAll(/\bnew mode\.([A-Za-z]+)\(/g)].map((m) => m[1]));
}

function readSource(root: string, file: string, why: string): string {
  const full = path.join(root, file);
  if (!fs.existsSync(full)) throw new Error(`${file} is missing: ${why}.`);
  return fs.readFileSync(full, "utf8").replace(/\r\n/g, "\n");
}

/** The prose before its first `##` heading (the summary), and the rest. */
function splitProse(prose: string): { summary: string; sections: string } {
  const at = prose.search(/^## /m);
  const summary = (at < 0 ? prose : prose.slice(0, at)).trim();
  if (summary === "")
    throw new Error("a prose file must start with a summary paragraph before its first ## heading");
  return { summary, sections: at < 0 ? "" : prose.slice(at).trim() };
}

/** `to` relative to the directory of `from` (both relative to the root), with forward slashes. */
function relative(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}

/**
 * The prose's relative links re-based from the prose file's folder to the page's, so a link works
 * both where it is written and where it is published (code spans and blocks are left alone).
 */
function rebaseLinks(markdown: string, from: string, to: string): string {
  let fenced = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return line;
      return line
        .split(/(`[^`]*`)/)
        .map((part, i) =>
          i % 2 === 1
            ? part
            : part.replace(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g, (whole: string, target: string, anchor = "") => {
                if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return whole;
                const absolute = path.posix.join(path.posix.dirname(from), target);
                return `](${relative(to, absolute)}${anchor})`;
              }),
        )
        .join("");
    })
    .join("\n");
}

/** Writes every generated page; with `--check`, only reports the stale ones (exit code 1). */
function main(argv: readonly string[]): void {
  const root = repositoryRoot();
  const check = argv.includes("--check");
  let stale = 0;
  for (const doc of generateDocs(root)) {
    const full = path.join(root, doc.path);
    const current = fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
    if (current === doc.text) continue;
    stale += 1;
    if (check) {
      console.error(`${doc.path} is stale: run npm run docs`);
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, doc.text);
      console.log(`wrote ${doc.path}`);
    }
  }
  if (stale === 0) console.log("docs are up to date");
  if (check && stale > 0) process.exitCode = 1;
}

if (require.main === module) main(process.argv.slice(2));
