/**
 * The `html` report: one self-contained page (inline CSS and script; its Content-Security-Policy
 * forbids every network request) with the summary, a filter box, and two access matrices: people ×
 * collections and people × data sources. Each cell is coloured by level, shows the level's initial,
 * and tells the level and paths on hover (`title`: `edit via direct; group:Analysts`); `data-level`
 * carries the level for scripts.
 *
 * A workspace of 2,000 people and 200 collections has 400,000 cells: a table that size takes a
 * browser tens of seconds to lay out again whenever rows are hidden or shown. So the access is
 * embedded once as compact JSON, and the script draws the rows of the people that match the filter,
 * a page of them at a time (100 by default); the column headers are static.
 */
import type { AccessReport, AccessRow, RowKind } from "./access";
import { summaryLines, type ReportContext } from "./formats";
import { COLLECTION_LEVELS, DATA_SOURCE_LEVELS, type WorkspaceSnapshot } from "./model";

/** The colour of each level (background, text), lowest first per kind. */
const LEVEL_COLOURS: Record<RowKind, Record<string, [string, string]>> = {
  collection: { view: ["#9ecae1", "#08306b"], edit: ["#2171b5", "#ffffff"] },
  data_source: {
    view: ["#c7e9c0", "#00441b"],
    query: ["#74c476", "#00441b"],
    manage: ["#238b45", "#ffffff"],
  },
};

/** People per page of the matrices, the first choice being the default. */
const PAGE_SIZES = [100, 250, 1000];

/**
 * What the script draws from, as embedded in the page:
 * - `people`: `[username, state, admin (0/1), scim (0/1)]` per person, in the report's order;
 * - `paths`: every distinct `via` text (`direct; group:Analysts`), referenced by index;
 * - per kind, `levels` (lowest first) and `cells`: per person, a flat list of
 *   `column, level index, path index` for each resource the person can reach.
 */
interface PageData {
  people: [string, string, 0 | 1, 0 | 1][];
  paths: string[];
  collection: { levels: readonly string[]; cells: number[][] };
  data_source: { levels: readonly string[]; cells: number[][] };
}

/** The page of a report; `snapshot` gives the matrices' rows (every person) and columns (every resource). */
export function toHtml(report: AccessReport, snapshot: WorkspaceSnapshot, context: ReportContext): string {
  const title = `Access report: ${snapshot.workspace}`;
  const people = snapshot.people;
  const collections = snapshot.collections ?? [];
  const dataSources = snapshot.dataSources ?? [];
  const summary = summaryLines(report.summary)
    .map(([label, value]) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`)
    .join("");
  const data = pageData(report, snapshot);
  const sizes = PAGE_SIZES.map((n) => `<option value="${n}">${n}</option>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}${levelStyles()}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="source">Read from ${esc(context.apiUrl)} at ${esc(context.generatedAt)} by <code>pulumi-mode report</code>.</p>
</header>
<section class="summary"><dl>${summary}</dl></section>
<noscript><p class="empty">The matrices are drawn by this page's script: allow it, or use the csv, json or markdown format.</p></noscript>
<section class="controls">
<label for="filter">Filter people</label>
<input id="filter" type="search" autocomplete="off" placeholder="username, state, admin, scim">
<span id="shown" aria-live="polite">${people.length} of ${people.length} people</span>
<span class="pager">
<button id="prev" type="button" aria-label="previous page">&#8249;</button>
<span id="page">1</span>
<button id="next" type="button" aria-label="next page">&#8250;</button>
<label for="size">per page</label> <select id="size">${sizes}</select>
</span>
</section>
<section>
<h2>Collections</h2>
${legend("collection", COLLECTION_LEVELS)}
${matrix("collections-matrix", "collection", collections)}
</section>
<section>
<h2>Data sources</h2>
${legend("data_source", DATA_SOURCE_LEVELS)}
${matrix("data-sources-matrix", "data_source", dataSources)}
</section>
<script type="application/json" id="access-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The data the script draws from (see {@link PageData}). */
function pageData(report: AccessReport, snapshot: WorkspaceSnapshot): PageData {
  const personIndex = new Map(snapshot.people.map((p, i) => [p.username, i]));
  const paths: string[] = [];
  const pathIndex = new Map<string, number>();
  const kinds = {
    collection: { levels: COLLECTION_LEVELS, resources: snapshot.collections ?? [] },
    data_source: { levels: DATA_SOURCE_LEVELS, resources: snapshot.dataSources ?? [] },
  } as const;
  const cellsOf = (kind: RowKind): number[][] => {
    const { levels, resources } = kinds[kind];
    const column = new Map(resources.map((r, i) => [r.token, i]));
    const cells: number[][] = snapshot.people.map(() => []);
    for (const row of report.rows) {
      if (row.kind !== kind) continue;
      const person = personIndex.get(row.username);
      const col = column.get(row.resource_token);
      if (person === undefined || col === undefined) continue;
      cells[person]!.push(col, (levels as readonly string[]).indexOf(row.level), pathOf(row));
    }
    return cells;
  };
  const pathOf = (row: AccessRow): number => {
    const text = row.via.join("; ");
    let index = pathIndex.get(text);
    if (index === undefined) {
      index = paths.length;
      paths.push(text);
      pathIndex.set(text, index);
    }
    return index;
  };
  return {
    people: snapshot.people.map((p) => [p.username, p.state, p.admin ? 1 : 0, p.managedByScim ? 1 : 0]),
    paths,
    collection: { levels: COLLECTION_LEVELS, cells: cellsOf("collection") },
    data_source: { levels: DATA_SOURCE_LEVELS, cells: cellsOf("data_source") },
  };
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** One matrix: its column headers (one per resource); the script draws the rows. */
function matrix(
  id: string,
  kind: RowKind,
  resources: readonly { name: string; token: string; defaultAccessLevel?: string }[],
): string {
  if (resources.length === 0) return `<p class="empty">None in this workspace.</p>`;
  const head = resources
    .map((r) => {
      const level = r.defaultAccessLevel ?? "none";
      const tip = `${r.name} (${r.token}); default level: ${level}`;
      return `<th class="res" scope="col" title="${esc(tip)}" data-token="${esc(r.token)}"><span>${esc(r.name)}</span></th>`;
    })
    .join("");
  return `<div class="scroll"><table id="${id}" class="matrix" data-kind="${kind}">
<thead><tr><th class="corner" scope="col">Person</th>${head}</tr></thead>
<tbody></tbody></table></div>`;
}

/** The colours of a kind's levels, explained. */
function legend(kind: RowKind, levels: readonly string[]): string {
  const items = levels
    .map((l) => `<span class="key ${levelClass(kind, l)}">${l.charAt(0).toUpperCase()}</span> ${l}`)
    .join(" ");
  return `<p class="legend">${items} <span class="hint">(hover a cell for the paths)</span></p>`;
}

/** The class of a level's cells: the kind's and the level's initials (`ce`: collection, edit). */
function levelClass(kind: RowKind, level: string): string {
  return `${kind.charAt(0)}${esc(level.charAt(0))}`;
}

function levelStyles(): string {
  return (Object.entries(LEVEL_COLOURS) as [RowKind, Record<string, [string, string]>][])
    .flatMap(([kind, levels]) =>
      Object.entries(levels).map(
        ([level, [bg, fg]]) => `.${levelClass(kind, level)}{background:${bg};color:${fg}}`,
      ),
    )
    .join("");
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.source{color:#555;margin:0 0 1rem}
.summary dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:0}
.summary dt{font-weight:600}.summary dd{margin:0}
.controls{margin:1rem 0;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
#filter{font:inherit;padding:.3rem .5rem;min-width:18rem;border:1px solid #888;border-radius:4px}
#shown{color:#555}
.pager{display:flex;gap:.4rem;align-items:center;color:#555}
.pager button{font:inherit;padding:0 .5rem;border:1px solid #888;border-radius:4px;background:#f6f6f6;cursor:pointer}
.pager button:disabled{opacity:.4;cursor:default}
.legend{margin:.25rem 0 .5rem}.key{display:inline-block;width:1.4rem;text-align:center;border-radius:3px;font-weight:600}
.hint{color:#777}
.scroll{overflow:auto;max-height:80vh;max-width:100%;display:inline-block;border:1px solid #ccc}
table.matrix{border-collapse:collapse;font-size:12px}
.matrix th,.matrix td{border:1px solid #e2e2e2}
.matrix thead th{position:sticky;top:0;background:#f6f6f6;z-index:1}
.matrix th.res{vertical-align:bottom;padding:.3rem .1rem;font-weight:500}
.matrix th.res span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;max-height:12rem;overflow:hidden;text-overflow:ellipsis;display:inline-block}
.matrix th.person{position:sticky;left:0;background:#fafafa;text-align:left;padding:.15rem .5rem;white-space:nowrap;font-weight:500}
.matrix th.corner{left:0;z-index:2;text-align:left;padding:.3rem .5rem}
.matrix th.person small{margin-left:.4rem;padding:0 .3rem;border-radius:3px;background:#eee;color:#444;font-weight:400}
.matrix td{width:1.4rem;min-width:1.4rem;height:1.4rem;text-align:center;font-weight:600;cursor:default}
.empty{color:#777}
`;

/**
 * Draws a page of the people matching every word typed (in their username, state, `admin`, `scim`)
 * into both matrices, and keeps the count and the pager true.
 */
const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("access-data").textContent);
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var pageLabel = document.getElementById("page");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var size = document.getElementById("size");
  var tables = [].slice.call(document.querySelectorAll("table.matrix"));
  var search = data.people.map(function (p) {
    return (p[0] + " " + p[1] + (p[2] ? " admin" : "") + (p[3] ? " scim" : "")).toLowerCase();
  });
  var matching = [];
  var page = 0;
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function personCell(p) {
    var tags = [p[1] === "active" ? "" : p[1], p[2] ? "admin" : "", p[3] ? "scim" : ""];
    var html = esc(p[0]);
    for (var i = 0; i < tags.length; i++) if (tags[i]) html += "<small>" + esc(tags[i]) + "</small>";
    return '<th class="person" scope="row">' + html + "</th>";
  }
  function rowHtml(table, kind, person) {
    var columns = table.tHead.rows[0].cells.length - 1;
    var cells = new Array(columns);
    var flat = data[kind].cells[person];
    for (var i = 0; i < flat.length; i += 3) {
      var level = data[kind].levels[flat[i + 1]];
      var title = level + " via " + data.paths[flat[i + 2]];
      cells[flat[i]] = '<td class="' + kind.charAt(0) + level.charAt(0) + '" data-level="' + esc(level) +
        '" title="' + esc(title) + '">' + level.charAt(0).toUpperCase() + "</td>";
    }
    var html = '<tr data-username="' + esc(data.people[person][0]) + '">' + personCell(data.people[person]);
    for (var c = 0; c < columns; c++) html += cells[c] || "<td></td>";
    return html + "</tr>";
  }
  function draw() {
    var per = Number(size.value);
    var pages = Math.max(1, Math.ceil(matching.length / per));
    if (page >= pages) page = pages - 1;
    var from = page * per;
    var slice = matching.slice(from, from + per);
    tables.forEach(function (table) {
      var kind = table.getAttribute("data-kind");
      table.tBodies[0].innerHTML = slice.map(function (person) { return rowHtml(table, kind, person); }).join("");
    });
    shown.textContent = matching.length + " of " + data.people.length + " people" +
      (pages > 1 ? " (" + (from + 1) + "\\u2013" + (from + slice.length) + " shown)" : "");
    pageLabel.textContent = (page + 1) + " / " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  function filter() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(function (w) { return w !== ""; });
    matching = [];
    for (var i = 0; i < search.length; i++) {
      var text = search[i];
      if (words.every(function (w) { return text.indexOf(w) !== -1; })) matching.push(i);
    }
    page = 0;
    draw();
  }
  input.addEventListener("input", filter);
  size.addEventListener("change", draw);
  prev.addEventListener("click", function () { page--; draw(); });
  next.addEventListener("click", function () { page++; draw(); });
  filter();
})();
`;
