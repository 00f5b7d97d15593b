/**
 * The `html` report: one self-contained page (inline CSS and script; its Content-Security-Policy
 * forbids every network request) with the summary, a filter box, and two access matrices: people ×
 * collections and people × data sources. Each cell is coloured by level, shows the level's initial,
 * and tells the level and paths on hover (`title`: `edit via direct; group:Analysts`); `data-level`
 * carries the level for scripts. Cells are kept short (a workspace of 2,000 people and 200 collections
 * has 400,000 of them): the person and the resource are the row's and the column's sticky headers.
 */
import type { AccessReport, AccessRow, RowKind } from "./access";
import { summaryLines, type ReportContext } from "./formats";
import { COLLECTION_LEVELS, DATA_SOURCE_LEVELS, type Person, type WorkspaceSnapshot } from "./model";

/** The colour of each level (background, text), lowest first per kind. */
const LEVEL_COLOURS: Record<RowKind, Record<string, [string, string]>> = {
  collection: { view: ["#9ecae1", "#08306b"], edit: ["#2171b5", "#ffffff"] },
  data_source: {
    view: ["#c7e9c0", "#00441b"],
    query: ["#74c476", "#00441b"],
    manage: ["#238b45", "#ffffff"],
  },
};

/** The page of a report; `snapshot` gives the matrices' rows (every person) and columns (every resource). */
export function toHtml(report: AccessReport, snapshot: WorkspaceSnapshot, context: ReportContext): string {
  const title = `Access report: ${snapshot.workspace}`;
  const people = snapshot.people;
  const collections = snapshot.collections ?? [];
  const dataSources = snapshot.dataSources ?? [];
  const summary = summaryLines(report.summary)
    .map(([label, value]) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`)
    .join("");
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
<section class="controls">
<label for="filter">Filter people</label>
<input id="filter" type="search" autocomplete="off" placeholder="username, state, admin, scim">
<span id="shown" aria-live="polite" data-total="${people.length}">${people.length} of ${people.length} people</span>
</section>
<section>
<h2>Collections</h2>
${legend("collection", COLLECTION_LEVELS)}
${matrix("collections-matrix", "collection", people, collections, report.rows)}
</section>
<section>
<h2>Data sources</h2>
${legend("data_source", DATA_SOURCE_LEVELS)}
${matrix("data-sources-matrix", "data_source", people, dataSources, report.rows)}
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** One matrix: a row per person (every one, so the filter can find anyone), a column per resource. */
function matrix(
  id: string,
  kind: RowKind,
  people: readonly Person[],
  resources: readonly { name: string; token: string; defaultAccessLevel?: string }[],
  rows: readonly AccessRow[],
): string {
  if (resources.length === 0) return `<p class="empty">None in this workspace.</p>`;
  const cells = new Map<string, AccessRow>();
  for (const row of rows) if (row.kind === kind) cells.set(`${row.username}\u0000${row.resource_token}`, row);
  const head = resources
    .map((r) => {
      const level = r.defaultAccessLevel ?? "none";
      const tip = `${r.name} (${r.token}); default level: ${level}`;
      return `<th class="res" scope="col" title="${esc(tip)}" data-token="${esc(r.token)}"><span>${esc(r.name)}</span></th>`;
    })
    .join("");
  const body = people
    .map((p) => {
      const tags = [
        p.state === "active" ? "" : p.state,
        p.admin ? "admin" : "",
        p.managedByScim ? "scim" : "",
      ]
        .filter((t) => t !== "")
        .map((t) => `<small>${esc(t)}</small>`)
        .join("");
      const search = [p.username, p.state, p.admin ? "admin" : "", p.managedByScim ? "scim" : ""]
        .join(" ")
        .toLowerCase();
      const tds = resources
        .map((r) => {
          const row = cells.get(`${p.username}\u0000${r.token}`);
          if (!row) return "<td></td>";
          const tip = `${row.level} via ${row.via.join("; ")}`;
          return `<td class="${levelClass(kind, row.level)}" data-level="${esc(row.level)}" title="${esc(tip)}">${esc(row.level.charAt(0).toUpperCase())}</td>`;
        })
        .join("");
      return `<tr data-username="${esc(p.username)}" data-search="${esc(search)}"><th class="person" scope="row">${esc(p.username)}${tags}</th>${tds}</tr>`;
    })
    .join("\n");
  return `<div class="scroll"><table id="${id}" class="matrix">
<thead><tr><th class="corner" scope="col">Person</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
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
.controls{margin:1rem 0;display:flex;gap:.75rem;align-items:center}
#filter{font:inherit;padding:.3rem .5rem;min-width:18rem;border:1px solid #888;border-radius:4px}
#shown{color:#555}
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

/** Hides the rows whose person does not match every word typed; counts who is shown. */
const SCRIPT = `
(function () {
  "use strict";
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var tables = document.querySelectorAll("table.matrix");
  var total = shown.getAttribute("data-total");
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(function (w) { return w !== ""; });
    var count = -1;
    for (var t = 0; t < tables.length; t++) {
      var rows = tables[t].tBodies[0].rows;
      var n = 0;
      for (var i = 0; i < rows.length; i++) {
        var text = rows[i].getAttribute("data-search") || "";
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        rows[i].hidden = !match;
        if (match) n++;
      }
      if (count < 0) count = n;
    }
    shown.textContent = (count < 0 ? 0 : count) + " of " + total + " people";
  }
  input.addEventListener("input", apply);
  apply();
})();
`;
