/**
 * Every relative link in the repository's markdown resolves: the file or folder it names exists, and
 * a `#anchor` names a heading of the target markdown file (GitHub's slugs) or an explicit `id`.
 * And the README stays a landing page: at most 300 lines.
 *
 * Checked: every `*.md` outside `node_modules/`, `dist/` and hidden folders (README.md,
 * CONTRIBUTING.md, docs/**, emulator/, bench/, examples/, provider/client/README.md, …). Links inside
 * code blocks and inline code are text, not links.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../testing/engine";

const ROOT = repoRoot();
const README_MAX_LINES = 300;

/** Every markdown file of the repository, relative to its root, sorted. */
function markdownFiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(full));
    else if (entry.name.endsWith(".md")) found.push(path.relative(ROOT, full));
  }
  return found.sort();
}

/** The markdown with fenced code blocks and inline code spans blanked (their text is not markup). */
function withoutCode(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  const kept = lines.map((line) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return "";
    }
    if (marker !== undefined) {
      fence = marker;
      return "";
    }
    return line.replace(/(`+)(?:(?!\1).)+?\1/g, "");
  });
  return kept.join("\n");
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images: their text
    .replace(/<[^>]+>/g, "") // inline HTML tags
    .replace(/[`*]/g, "") // code and emphasis markers
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** The anchors a markdown file defines: its headings' slugs (GitHub numbers repeats) and explicit ids. */
function anchors(markdown: string): Set<string> {
  const result = new Set<string>();
  const seen = new Map<string, number>();
  const lines = markdown.split("\n");
  let fence: string | undefined;
  for (const line of lines) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      result.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const id of line.matchAll(/<[^>]+\s(?:id|name)="([^"]+)"/g)) result.add(id[1]);
  }
  return result;
}

/** The targets of a markdown file's links: inline `[text](target)` and reference definitions. */
function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) targets.push(m[1]);
  return targets;
}

/** Why a link from `file` (relative to the root) does not resolve, or undefined when it does. */
function problem(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:, …
  const [rawPath, anchor] = target.split("#", 2);
  const relative = decodeURIComponent(rawPath);
  const resolved = relative === "" ? path.join(ROOT, file) : path.resolve(ROOT, path.dirname(file), relative);
  if (!resolved.startsWith(ROOT + path.sep) && resolved !== ROOT) return "points outside the repository";
  if (!fs.existsSync(resolved)) return `${path.relative(ROOT, resolved)} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (!resolved.endsWith(".md") || !fs.statSync(resolved).isFile()) {
    return `#${anchor} on ${path.relative(ROOT, resolved)}, which is not a markdown file`;
  }
  const defined = anchors(fs.readFileSync(resolved, "utf8"));
  if (!defined.has(decodeURIComponent(anchor))) {
    return `${path.relative(ROOT, resolved)} has no heading #${anchor} (it has: ${[...defined].join(", ")})`;
  }
  return undefined;
}

describe("docs: every relative link resolves", () => {
  it("the slugs follow GitHub's rules", () => {
    assert.equal(slug("`mode.WorkspaceInvite`"), "modeworkspaceinvite");
    assert.equal(slug("After an interrupted `pulumi up`"), "after-an-interrupted-pulumi-up");
    assert.equal(
      slug("Self-service access from a roster (Automation API)"),
      "self-service-access-from-a-roster-automation-api",
    );
    assert.equal(slug("Where Mode's documents are silent"), "where-modes-documents-are-silent");
    assert.equal(slug("Arguments — [docs](x.md) & *more*"), "arguments--docs--more");
    assert.deepEqual([...anchors("# A\n## A\n```\n# not a heading\n```\n## B")], ["a", "a-1", "b"]);
  });

  it("finds links, and ignores code", () => {
    const md = "See [a](a.md#x) and `[b](b.md)`.\n```\n[c](c.md)\n```\n[d]: d.md\n![img](i.svg)";
    assert.deepEqual(linkTargets(md), ["a.md#x", "i.svg", "d.md"]);
  });

  it("catches a missing file and a missing anchor", () => {
    assert.match(problem("README.md", "no-such-file.md") ?? "", /does not exist/);
    assert.match(problem("README.md", "CONTRIBUTING.md#no-such-heading") ?? "", /has no heading/);
    assert.equal(problem("README.md", "CONTRIBUTING.md"), undefined);
    assert.equal(problem("README.md", "https://example.com/x#y"), undefined);
  });

  const files = markdownFiles();

  it("covers the README, CONTRIBUTING, docs/, the emulator's manual and the examples' index", () => {
    for (const expected of ["README.md", "CONTRIBUTING.md", "emulator/README.md", "examples/README.md"]) {
      assert.ok(files.includes(expected), `${expected} is missing`);
    }
    assert.ok(files.some((f) => f.startsWith(`docs${path.sep}guides${path.sep}`)));
  });

  for (const file of files) {
    it(file, () => {
      const broken = linkTargets(fs.readFileSync(path.join(ROOT, file), "utf8"))
        .map((target) => ({ target, why: problem(file, target) }))
        .filter((link) => link.why !== undefined)
        .map((link) => `  (${link.target}): ${link.why}`);
      assert.deepEqual(broken, [], `${file} has broken links:\n${broken.join("\n")}`);
    });
  }

  it(`README.md is a landing page: at most ${README_MAX_LINES} lines`, () => {
    const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").trimEnd().split("\n").length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move details to docs/guides/`);
  });
});
