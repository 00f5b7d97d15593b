/**
 * The text formats of a report: `csv` (RFC 4180), `json`, `markdown` and `table` (for a terminal).
 * The `html` page is in ./html.ts. Every format prints the same rows in the same order.
 */
import { COLUMNS, type AccessReport, type AccessRow, type AccessSummary, type RowKind } from "./access";

/** The formats `report` writes. */
export const FORMATS = ["table", "csv", "json", "markdown", "html"] as const;

/** A report format. */
export type Format = (typeof FORMATS)[number];

/** Where and when a report was made, for the formats that say so. */
export interface ReportContext {
  /** When the lists were read (ISO 8601). */
  readonly generatedAt: string;
  /** The Mode API base URL. */
  readonly apiUrl: string;
}

/** What a row's `via` is in csv: the paths joined by `;`. */
export function joinVia(row: AccessRow): string {
  return row.via.join(";");
}

// ---- csv -----------------------------------------------------------------------------------------

/**
 * RFC 4180: a header line with exactly {@link COLUMNS}, one line per row, CRLF line ends, a field in
 * double quotes when it holds a comma, a double quote, CR or LF (quotes doubled inside), and a
 * final CRLF.
 */
export function toCsv(report: AccessReport): string {
  const lines = [COLUMNS.join(",")];
  for (const row of report.rows) lines.push(COLUMNS.map((c) => csvField(cell(row, c))).join(","));
  return lines.map((line) => `${line}\r\n`).join("");
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A row's value of `column` as text (booleans `true`/`false`, via joined by `;`). */
function cell(row: AccessRow, column: (typeof COLUMNS)[number]): string {
  if (column === "via") return joinVia(row);
  const value = row[column];
  return typeof value === "boolean" ? String(value) : value;
}

// ---- json ----------------------------------------------------------------------------------------

/**
 * `{rows, summary}`: each row an object with exactly the keys of {@link COLUMNS} (`admin` and
 * `managed_by_scim` booleans, `via` an array of paths), one row per line; the summary with where and
 * when, indented.
 */
export function toJson(report: AccessReport, context: ReportContext): string {
  const rows = report.rows.map((r) =>
    JSON.stringify({
      kind: r.kind,
      username: r.username,
      state: r.state,
      admin: r.admin,
      managed_by_scim: r.managed_by_scim,
      resource: r.resource,
      resource_token: r.resource_token,
      level: r.level,
      via: r.via,
    } satisfies Record<(typeof COLUMNS)[number], unknown>),
  );
  const summary = { ...report.summary, api_url: context.apiUrl, generated_at: context.generatedAt };
  const body = rows.length === 0 ? "[]" : `[\n    ${rows.join(",\n    ")}\n  ]`;
  return `{\n  "rows": ${body},\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, "\n  ")}\n}\n`;
}

// ---- summary lines (table, markdown) -------------------------------------------------------------

/** The summary as label/value pairs, in reading order. */
export function summaryLines(s: AccessSummary): [string, string][] {
  const states = Object.entries(s.people_by_state)
    .map(([state, n]) => `${n} ${state}`)
    .join(", ");
  const lines: [string, string][] = [
    ["People", `${s.people}${states ? ` (${states})` : ""}`],
    ["Pending invites", String(s.pending_invites)],
    ["Admins", String(s.admins)],
    ["SCIM-managed people", String(s.managed_by_scim)],
    ["Groups", `${s.groups} (${s.managed_groups} managed by the identity provider)`],
    ["Collections", `${s.collections} (${s.restricted_collections} restricted)`],
    ["Data sources", `${s.data_sources} (${s.restricted_data_sources} restricted)`],
    ["Access rows", `${s.rows.collection} to collections, ${s.rows.data_source} to data sources`],
    [
      "Access by path",
      `default ${s.grants_by_path.default}, direct ${s.grants_by_path.direct}, group ${s.grants_by_path.group}`,
    ],
  ];
  if (s.unresolved_grants > 0) {
    lines.push(["Grants to unknown accessors", String(s.unresolved_grants)]);
  }
  return lines;
}

const KIND_TITLES: Record<RowKind, string> = { collection: "Collections", data_source: "Data sources" };
const HEADINGS = ["Username", "State", "Admin", "SCIM", "Resource", "Token", "Level", "Via"];

/** A row as the cells of the table and markdown formats. */
function displayCells(row: AccessRow): string[] {
  return [
    row.username,
    row.state,
    row.admin ? "yes" : "",
    row.managed_by_scim ? "yes" : "",
    row.resource,
    row.resource_token,
    row.level,
    row.via.join(", "),
  ];
}

// ---- markdown ------------------------------------------------------------------------------------

/** A heading, a summary list, and one table per kind. */
export function toMarkdown(report: AccessReport, context: ReportContext): string {
  const out: string[] = [
    `# Access report: ${markdownText(report.summary.workspace)}`,
    "",
    `Read from ${markdownText(context.apiUrl)} at ${context.generatedAt}.`,
    "",
    ...summaryLines(report.summary).map(([label, value]) => `- **${label}:** ${markdownText(value)}`),
  ];
  for (const kind of ["collection", "data_source"] as const) {
    const rows = report.rows.filter((r) => r.kind === kind);
    out.push("", `## ${KIND_TITLES[kind]}`, "");
    if (rows.length === 0) {
      out.push("Nobody has access.");
      continue;
    }
    out.push(`| ${HEADINGS.join(" | ")} |`, `|${HEADINGS.map(() => " --- |").join("")}`);
    for (const row of rows) out.push(`| ${displayCells(row).map(markdownText).join(" | ")} |`);
  }
  return `${out.join("\n")}\n`;
}

/** Text that reads as itself in Markdown (and in a table cell): special characters escaped, one line. */
export function markdownText(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").replace(/([\\`*_[\]<>|#&!~])/g, "\\$1");
}

// ---- table ---------------------------------------------------------------------------------------

/** Aligned columns for a terminal: one table per kind, then the summary. */
export function toTable(report: AccessReport, context: ReportContext): string {
  const out: string[] = [
    `Access report: ${terminalText(report.summary.workspace)} (${terminalText(context.apiUrl)}, ${context.generatedAt})`,
  ];
  for (const kind of ["collection", "data_source"] as const) {
    const rows = report.rows.filter((r) => r.kind === kind);
    out.push("", `${KIND_TITLES[kind]} (${rows.length} rows)`);
    if (rows.length === 0) {
      out.push("  nobody has access");
      continue;
    }
    // A loop, not push(...lines): a large workspace has more rows than a call takes arguments.
    const lines = alignColumns([
      HEADINGS.map((h) => h.toUpperCase()),
      ...rows.map((r) => displayCells(r).map(terminalText)),
    ]);
    for (const line of lines) out.push(line);
  }
  out.push("", "Summary");
  const summary = summaryLines(report.summary);
  const width = Math.max(...summary.map(([label]) => label.length));
  for (const [label, value] of summary) out.push(`  ${`${label}:`.padEnd(width + 1)} ${value}`);
  return `${out.join("\n")}\n`;
}

/** Pads each column to its widest cell (two spaces between columns, no trailing spaces). */
function alignColumns(lines: string[][]): string[] {
  const widths: number[] = [];
  for (const cells of lines) cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))));
  return lines.map((cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - width(c))))
      .join("  ")
      .trimEnd(),
  );
}

/** Display width in code points. */
function width(text: string): number {
  return [...text].length;
}

/** Text that cannot move a terminal's cursor: control characters (escape sequences among them) shown as `?`. */
export function terminalText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}
