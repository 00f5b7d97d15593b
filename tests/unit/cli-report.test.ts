/**
 * `pulumi-mode report`: the rows equal an independent computation from the API's lists, and every
 * format prints them as specified (csv quoting, json keys, markdown, table).
 */
import { strict as assert } from "node:assert";
import { accessReport, COLUMNS, type AccessReport } from "../../cli/access";
import { toCsv, toJson, toMarkdown, toTable } from "../../cli/formats";
import { gather } from "../../cli/gather";
import { byText, type WorkspaceSnapshot } from "../../cli/model";
import { fakeLists, sampleWorkspace, type ListCounts, type RawWorkspace } from "../support/cli-workspace";

/** One expected row, as the test computes it. */
interface Expected {
  kind: string;
  username: string;
  state: string;
  admin: boolean;
  managed_by_scim: boolean;
  resource: string;
  resource_token: string;
  level: string;
  via: string[];
}

/**
 * The report, computed straight from the raw lists and written differently from cli/access.ts: for
 * each resource and each membership, walk the raw permissions and the raw group memberships.
 */
function independentRows(raw: RawWorkspace): Expected[] {
  const rank: Record<string, Record<string, number>> = {
    collection: { view: 1, edit: 2 },
    data_source: { view: 1, query: 2, manage: 3 },
  };
  const groupName: Record<string, string> = {};
  for (const g of raw.groups) groupName[g.token] = g.name;
  const out: Expected[] = [];
  const targets = [
    ...raw.spaces
      .filter((s) => s.space_type === "custom")
      .map((s) => ({ kind: "collection", t: s, perms: raw.spacePermissions[s.token] ?? [] })),
    ...raw.dataSources.map((d) => ({
      kind: "data_source",
      t: d,
      perms: raw.dataSourcePermissions[d.token] ?? [],
    })),
  ];
  for (const { kind, t, perms } of targets) {
    for (const member of raw.memberships) {
      let best = 0;
      const via: string[] = [];
      const defaultRank = rank[kind]![t.default_access_level ?? ""] ?? 0;
      if (member.state === "active" && defaultRank > 0) {
        best = Math.max(best, defaultRank);
        via.push("default");
      }
      for (const p of perms) {
        if (p.accessor_type === "Account" && p.accessor_token === member.member_token) {
          best = Math.max(best, rank[kind]![p.action]!);
          via.push("direct");
        }
      }
      const groupVias: string[] = [];
      for (const p of perms) {
        if (p.accessor_type !== "UserGroup") continue;
        const inGroup = (raw.groupMemberships[p.accessor_token] ?? []).some(
          (gm) => gm.member_token === member.member_token,
        );
        if (inGroup) {
          best = Math.max(best, rank[kind]![p.action]!);
          groupVias.push(`group:${groupName[p.accessor_token]}`);
        }
      }
      groupVias.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      via.push(...groupVias);
      if (best === 0) continue;
      const level = Object.keys(rank[kind]!).find((k) => rank[kind]![k] === best)!;
      out.push({
        kind,
        username: member.member_username,
        state: member.state,
        admin: member.admin,
        managed_by_scim: member.managed_by_scim === true,
        resource: t.name,
        resource_token: t.token,
        level,
        via,
      });
    }
  }
  const key = (r: Expected) => `${r.kind}|${r.resource_token}|${r.username}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

async function snapshotOf(raw: RawWorkspace, counts?: ListCounts): Promise<WorkspaceSnapshot> {
  return gather(fakeLists(raw, counts), "acme", "https://app.mode.com/api");
}

async function reportOf(raw: RawWorkspace): Promise<AccessReport> {
  return accessReport(await snapshotOf(raw));
}

/** Asserts that `actual` has every property of `expected` (deep-equal values). */
function assertHas(actual: object | undefined, expected: Record<string, unknown>, message?: string): void {
  assert.ok(actual, message ?? "missing");
  const picked = Object.fromEntries(
    Object.keys(expected).map((k) => [k, (actual as Record<string, unknown>)[k]]),
  );
  assert.deepEqual(picked, expected, message);
}

const CONTEXT = { generatedAt: "2026-01-02T03:04:05.000Z", apiUrl: "https://app.mode.com/api" };

/** Parses RFC 4180 text (CRLF records, quoted fields) into records of fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      i += 1;
    } else if (c === ",") {
      record.push(field);
      field = "";
      i += 1;
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else {
      assert.doesNotMatch(c, /[\r\n"]/, `unquoted ${JSON.stringify(c)} at ${i}`);
      field += c;
      i += 1;
    }
  }
  assert.equal(field, "", "text ends with CRLF");
  assert.deepEqual(record, []);
  return records;
}

describe("cli report: access rows", () => {
  it("equal an independent computation from the API's lists", async () => {
    const raw = sampleWorkspace();
    const report = await reportOf(raw);
    const key = (r: { kind: string; resource_token: string; username: string }) =>
      `${r.kind}|${r.resource_token}|${r.username}`;
    const got = report.rows
      .map((r) => ({ ...r, via: [...r.via] }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    assert.deepEqual(got, independentRows(raw));
  });

  it("lists every path, takes the highest level and counts the default for active members only", async () => {
    const report = await reportOf(sampleWorkspace());
    const row = (token: string, username: string) =>
      report.rows.find((r) => r.resource_token === token && r.username === username);
    // direct edit beats the group's view; both paths listed, direct before groups
    assertHas(row("s-sales", "bob"), { level: "edit" });
    assert.deepEqual(row("s-sales", "bob")?.via, ["direct", "group:Analysts"]);
    // an invitee reaches a restricted collection through a group, and nothing by default
    assert.deepEqual(row("s-sales", "carol")?.via, ["group:Analysts"]);
    assert.equal(row("s-public", "carol"), undefined);
    assert.equal(row("s-open", "frank"), undefined);
    // default view plus a group's edit: edit, both listed
    assertHas(row("s-public", "bob"), { level: "edit", via: ["default", 'group:Eng, "core"\nteam'] });
    // a deactivated member keeps the group path, not the default
    assertHas(row("s-public", "dave"), { level: "edit", via: ['group:Eng, "core"\nteam'] });
    // two groups on one collection, sorted by name
    assertHas(row("s-sales2", "bob"), {
      level: "edit",
      via: ["group:Analysts", 'group:Eng, "core"\nteam'],
    });
    // a SCIM group counts like any group
    assertHas(row("s-q3", "erin"), { level: "view", via: ["group:Okta Finance"], managed_by_scim: true });
    // data sources: default query for active members, group manage on top
    assertHas(row("d-prod", "bob"), { level: "manage", via: ["default", 'group:Eng, "core"\nteam'] });
    assertHas(row("d-prod", "heidi"), { level: "query", via: ["default", "direct"] });
    assertHas(row("d-wh", "ada"), { level: "query", via: ["direct", "group:Analysts"] });
    // the personal collection is not in the report
    assert.equal(
      report.rows.some((r) => r.resource_token === "s-mine"),
      false,
    );
  });

  it("reads each list once", async () => {
    const counts: ListCounts = {};
    await snapshotOf(sampleWorkspace(), counts);
    assert.ok(
      Object.values(counts).every((n) => n === 1),
      JSON.stringify(counts),
    );
    // memberships, groups, 4 groups' members, spaces, 5 custom collections' permissions,
    // data sources and 3 data sources' permissions
    assert.equal(Object.keys(counts).length, 1 + 1 + 4 + 1 + 5 + 1 + 3);
    assert.ok(!Object.hasOwn(counts, "spacePermissions/s-mine"));
  });

  it("summarises people, invites, groups, restricted collections and paths", async () => {
    const { summary, rows } = await reportOf(sampleWorkspace());
    assertHas(summary, {
      workspace: "acme",
      people: 8,
      pending_invites: 1,
      admins: 1,
      managed_by_scim: 1,
      groups: 4,
      managed_groups: 1,
      collections: 5,
      restricted_collections: 3,
      data_sources: 3,
      restricted_data_sources: 1,
      unresolved_grants: 0,
    });
    assert.deepEqual(summary.people_by_state, { active: 5, deactivated: 1, expired: 1, invited: 1 });
    const paths = { default: 0, direct: 0, group: 0 };
    for (const r of rows) for (const v of r.via) paths[v.startsWith("group:") ? "group" : (v as "default")]++;
    assert.deepEqual(summary.grants_by_path, paths);
    assert.equal(summary.rows.collection + summary.rows.data_source, rows.length);
  });

  it("counts grants to accessors the lists do not know, and gives them no row", async () => {
    const raw = sampleWorkspace();
    raw.spacePermissions["s-open"] = [
      { token: "px", action: "edit", accessor_type: "Account", accessor_token: "u-nobody" },
      { token: "py", action: "edit", accessor_type: "UserGroup", accessor_token: "g-deleted" },
    ];
    const { summary, rows } = await reportOf(raw);
    assert.equal(summary.unresolved_grants, 2);
    assert.equal(
      rows.filter((r) => r.resource_token === "s-open").every((r) => r.via.join() === "default"),
      true,
    );
  });
});

describe("cli: sort order", () => {
  it("is natural, case-insensitive, then exact, and needs no locale", () => {
    const names = [
      "Space 10",
      "space 2",
      "Space 1",
      "Space 100",
      "Space 02",
      "b",
      "B",
      "a",
      "user0010",
      "user009",
    ];
    assert.deepEqual([...names].sort(byText), [
      "a",
      "B",
      "b",
      "Space 1",
      "Space 02",
      "space 2",
      "Space 10",
      "Space 100",
      "user009",
      "user0010",
    ]);
    for (const a of names)
      for (const b of names) assert.equal(Math.sign(byText(a, b)) + Math.sign(byText(b, a)), 0, `${a} ${b}`);
  });
});

describe("cli report: formats", () => {
  it("csv: exactly the columns, one header line, RFC 4180 quoting of commas, quotes and newlines", async () => {
    const report = await reportOf(sampleWorkspace());
    const text = toCsv(report);
    assert.equal(
      text.split("\r\n")[0],
      "kind,username,state,admin,managed_by_scim,resource,resource_token,level,via",
    );
    const records = parseCsv(text);
    assert.deepEqual(records[0], [...COLUMNS]);
    assert.equal(records.length, report.rows.length + 1);
    records.slice(1).forEach((record, i) => {
      const row = report.rows[i]!;
      assert.deepEqual(record, [
        row.kind,
        row.username,
        row.state,
        String(row.admin),
        String(row.managed_by_scim),
        row.resource,
        row.resource_token,
        row.level,
        row.via.join(";"),
      ]);
    });
    // the awkward names are quoted, their quotes doubled, their newline kept inside the quotes
    assert.ok(text.includes('"Q3, ""final""\nreport"'));
    assert.ok(text.includes('"default;group:Eng, ""core""\nteam"'));
  });

  it("json: the rows as objects with exactly the csv's keys, plus the summary", async () => {
    const report = await reportOf(sampleWorkspace());
    const parsed = JSON.parse(toJson(report, CONTEXT)) as {
      rows: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    assert.equal(parsed.rows.length, report.rows.length);
    for (const row of parsed.rows) assert.deepEqual(Object.keys(row), [...COLUMNS]);
    assert.deepEqual(parsed.rows[0], { ...report.rows[0], via: [...report.rows[0]!.via] });
    assertHas(parsed.summary, {
      ...report.summary,
      generated_at: CONTEXT.generatedAt,
      api_url: CONTEXT.apiUrl,
    });
  });

  it("markdown: a summary and one table per kind, special characters escaped, one line per row", async () => {
    const report = await reportOf(sampleWorkspace());
    const text = toMarkdown(report, CONTEXT);
    const lines = text.split("\n");
    assert.equal(lines[0], "# Access report: acme");
    assert.ok(lines.includes("- **Pending invites:** 1"));
    const tableRows = lines.filter((l) => l.startsWith("| ") && !/^\| (Username|---) /.test(l));
    assert.equal(tableRows.length, report.rows.length);
    for (const l of tableRows) assert.equal(l.split(/(?<!\\)\|/).length - 2, 8, l);
    assert.ok(text.includes('Q3, "final" report'));
    assert.deepEqual(
      lines.filter((l) => l.startsWith("## ")),
      ["## Collections", "## Data sources"],
    );
  });

  it("table: aligned columns per kind, control characters neutralised, and the summary", async () => {
    const report = await reportOf(sampleWorkspace());
    const text = toTable(report, CONTEXT);
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("USERNAME"))!;
    assert.deepEqual(header.split(/\s{2,}/), [
      "USERNAME",
      "STATE",
      "ADMIN",
      "SCIM",
      "RESOURCE",
      "TOKEN",
      "LEVEL",
      "VIA",
    ]);
    const levelAt = header.indexOf("LEVEL");
    const collectionRows = lines.slice(
      lines.indexOf(header) + 1,
      lines.indexOf(header) + 1 + report.summary.rows.collection,
    );
    for (const l of collectionRows) assert.match(l.slice(levelAt).split(" ")[0], /^(view|edit)$/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f]/);
    assert.ok(text.includes('Q3, "final"?report'));
    assert.match(text, /Pending invites: +1/);
  });

  it("every text format handles a workspace-sized report (200,000 rows)", async function () {
    this.timeout(120_000);
    const { rows, summary } = await reportOf(sampleWorkspace());
    const many = Array.from({ length: 200_000 }, (_, i) => ({
      ...rows[i % rows.length]!,
      username: `user${i}`,
    }));
    const big = { rows: many, summary };
    assert.equal(toCsv(big).split("\r\n").length, many.length + 2);
    assert.equal(
      toTable(big, CONTEXT)
        .split("\n")
        .filter((l) => l.startsWith("user")).length,
      many.length,
    );
    assert.equal((JSON.parse(toJson(big, CONTEXT)) as { rows: unknown[] }).rows.length, many.length);
    assert.ok(toMarkdown(big, CONTEXT).length > many.length * 50);
  });
});
