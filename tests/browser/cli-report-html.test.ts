/**
 * The HTML report in a real headless browser (Debian's chromium, driven by playwright-core): the
 * page loads without errors and without a single request beyond itself, the matrix has a row per
 * person and a column per collection, a cell's level and paths match the report's data, the filter
 * narrows the rows, and a screenshot is not blank. Without chromium the suite is skipped with a
 * banner (under CI=true it fails: .ci/run installs chromium).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { accessReport, type AccessReport } from "../../cli/access";
import { gather } from "../../cli/gather";
import { toHtml } from "../../cli/html";
import type { WorkspaceSnapshot } from "../../cli/model";
import { fakeLists, sampleWorkspace } from "../support/cli-workspace";
import { colourCounts, decodePng } from "../support/png";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** One cell of the collections matrix, as the browser shows it. */
interface Cell {
  username: string | null;
  token: string | null;
  level: string | null;
  title: string | null;
  text: string | null;
  background: string;
}

/** Reads every cell of the collections matrix in the page (browser code: this project has no DOM types). */
const CELLS_SCRIPT = `(() => {
  const table = document.getElementById("collections-matrix");
  const tokens = [...table.tHead.rows[0].cells].slice(1).map((th) => th.getAttribute("data-token"));
  return [...table.tBodies[0].rows].flatMap((tr) =>
    [...tr.cells].slice(1).map((td, i) => ({
      username: tr.getAttribute("data-username"),
      token: tokens[i],
      level: td.getAttribute("data-level"),
      title: td.getAttribute("title"),
      text: td.textContent,
      background: getComputedStyle(td).backgroundColor,
    })),
  );
})()`;

/** Where the screenshot is kept for a person to look at. */
export const SCREENSHOT = path.join(os.tmpdir(), "pulumi-mode-report-html.png");

describe("cli report --format html, in headless chromium", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  let snapshot: WorkspaceSnapshot;
  let report: AccessReport;
  const problems: string[] = [];
  const requests: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true")
        throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);
      console.warn(
        `\n!! SKIPPING the HTML report browser test: ${CHROMIUM} is missing (apt-get install -y chromium)\n`,
      );
      this.skip();
    }
    snapshot = await gather(fakeLists(sampleWorkspace()), "acme", "https://app.mode.com/api");
    report = accessReport(snapshot);
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-html-"));
    const file = path.join(dir, "report.html");
    const html = toHtml(report, snapshot, {
      generatedAt: "2026-01-02T03:04:05.000Z",
      apiUrl: snapshot.apiUrl,
    });
    await fs.promises.writeFile(file, html);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 90_000 });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${file}`, { waitUntil: "load" });
  });

  after(async () => {
    await browser?.close();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it("loads without console errors and requests nothing but itself", () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.map((u) => path.basename(new URL(u).pathname)),
      ["report.html"],
    );
  });

  it("has a row per person and a column per collection", async () => {
    const rows = await page.locator("#collections-matrix tbody tr").count();
    const columns = await page.locator("#collections-matrix thead th.res").count();
    assert.equal(rows, snapshot.people.length);
    assert.equal(columns, snapshot.collections!.length);
    const dsColumns = await page.locator("#data-sources-matrix thead th.res").count();
    assert.equal(dsColumns, snapshot.dataSources!.length);
  });

  it("shows each cell's level and paths as the report has them", async () => {
    const cells = await page.evaluate<Cell[]>(CELLS_SCRIPT);
    const rows = report.rows.filter((r) => r.kind === "collection");
    assert.equal(cells.filter((c) => c.level !== null).length, rows.length);
    for (const row of rows) {
      const cell = cells.find((c) => c.username === row.username && c.token === row.resource_token);
      assert.ok(cell, `${row.username} × ${row.resource_token}`);
      assert.equal(cell.level, row.level);
      assert.equal(cell.title, `${row.level} via ${row.via.join("; ")}`);
    }
    // bob edits Sales directly and views it through Analysts: edit, both paths, the edit colour
    const bob = cells.find((c) => c.username === "bob" && c.token === "s-sales")!;
    assert.equal(bob.title, "edit via direct; group:Analysts");
    assert.equal(bob.text, "E");
    assert.equal(bob.background, "rgb(33, 113, 181)");
    const none = cells.find((c) => c.username === "dave" && c.token === "s-sales")!;
    assert.equal(none.level, null);
    assert.equal(none.text, "");
  });

  it("narrows the rows with the filter box", async () => {
    const rows = () => page.locator("#collections-matrix tbody tr").count();
    await page.fill("#filter", "gra");
    assert.equal(await rows(), 1);
    assert.equal(
      await page.locator("#collections-matrix tbody tr").getAttribute("data-username"),
      "Grace.Hopper",
    );
    assert.equal(await page.textContent("#shown"), `1 of ${snapshot.people.length} people`);
    await page.fill("#filter", "active admin");
    assert.equal(await rows(), 1);
    await page.fill("#filter", "invited");
    assert.equal(await rows(), 1);
    assert.equal(await page.locator("#data-sources-matrix tbody tr").count(), 1);
    await page.fill("#filter", "");
    assert.equal(await rows(), snapshot.people.length);
  });

  it("draws a large workspace a page of people at a time, the filter searching all of them", async () => {
    const raw = sampleWorkspace();
    for (let i = 1; i <= 242; i++) {
      raw.memberships.push({
        member_username: `user${String(i).padStart(3, "0")}`,
        member_token: `u-x${i}`,
        state: "active",
        admin: false,
      });
    }
    const big = await gather(fakeLists(raw), "acme", "https://app.mode.com/api");
    const file = path.join(dir, "big.html");
    await fs.promises.writeFile(
      file,
      toHtml(accessReport(big), big, { generatedAt: "x", apiUrl: big.apiUrl }),
    );
    const p = await browser!.newPage();
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    await p.goto(`file://${file}`, { waitUntil: "load" });
    const rows = () => p.locator("#collections-matrix tbody tr").count();
    assert.equal(big.people.length, 250);
    assert.equal(await rows(), 100);
    assert.equal(await p.textContent("#shown"), "250 of 250 people (1\u2013100 shown)");
    await p.click("#next");
    await p.click("#next");
    assert.equal(await rows(), 50);
    assert.equal(await p.textContent("#page"), "3 / 3");
    assert.ok(await p.locator("#next").isDisabled());
    await p.fill("#filter", "user24");
    assert.equal(await rows(), 3, "user240, user241, user242");
    assert.equal(await p.textContent("#page"), "1 / 1");
    await p.fill("#filter", "");
    await p.selectOption("#size", "250");
    assert.equal(await rows(), 250);
    assert.deepEqual(errors, []);
    await p.close();
  });

  it("takes a screenshot that is not blank", async () => {
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const image = decodePng(png);
    const colours = colourCounts(image);
    assert.ok(image.width >= 800 && image.height >= 600, `${image.width}×${image.height}`);
    assert.ok(colours.size > 50, `only ${colours.size} colours`);
    const top = Math.max(...colours.values());
    assert.ok(top < image.width * image.height * 0.97, "one colour fills the page");
    for (const colour of [0x2171b5, 0x9ecae1, 0x238b45]) {
      assert.ok(colours.has(colour), `the level colour #${colour.toString(16)} is on the screenshot`);
    }
    console.log(`      screenshot: ${SCREENSHOT} (${image.width}×${image.height}, ${colours.size} colours)`);
  });
});
