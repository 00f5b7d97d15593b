/**
 * The GitHub Actions workflows users copy (examples/github-actions/*.yml): actionlint finds nothing
 * in them, and they keep the promises the README makes (credentials only from secrets, pinned
 * actions, least-privilege permissions, deploys that never overlap, a drift check that fails).
 *
 * actionlint is built from the Go module proxy by scripts/actionlint.sh (cached beside the engine).
 * Without Go the actionlint tests are skipped with a loud banner, except under CI=true, where that
 * is a failure. shellcheck is not installed by the script: actionlint checks `run:` scripts with it
 * only when it is on PATH.
 */
import { strict as assert } from "node:assert";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../testing/engine";

const DIR = path.join(repoRoot(), "examples", "github-actions");
const WORKFLOWS = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") reject(err);
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs scripts/actionlint.sh and returns the binary's path (its last stdout line). */
function buildActionlint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(repoRoot(), "scripts", "actionlint.sh")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").pop()?.trim() ?? "";
      if (code === 0 && path.isAbsolute(last)) resolve(last);
      else reject(new Error(`scripts/actionlint.sh exited with ${code}:\n${stderr.slice(-4000)}`));
    });
  });
}

function source(file: string): string {
  return fs.readFileSync(path.join(DIR, file), "utf8");
}

/** Lines without their `# comments` (a `#` after whitespace or at the start). */
function code(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, ""))
    .join("\n");
}

describe("examples/github-actions workflows", function () {
  it("there are the three workflows the README describes", () => {
    assert.deepEqual(WORKFLOWS, [
      "mode-access-deploy.yml",
      "mode-access-drift.yml",
      "mode-access-preview.yml",
    ]);
  });

  describe("actionlint", function () {
    let actionlint: string;
    let tmp: string | undefined;

    before(async function () {
      this.timeout(15 * 60 * 1000); // a cold build downloads and compiles actionlint
      try {
        actionlint = await buildActionlint();
      } catch (err) {
        if (process.env.CI === "true") throw err;
        const bar = "!".repeat(72);
        const reason = (err as Error).message.split("\n").join("\n!! ");
        console.warn(
          `\n${bar}\n!! SKIPPING the actionlint tests: actionlint could not be built.\n!! ${reason}`,
        );
        console.warn(
          `!! Run \`bash scripts/actionlint.sh\` to see why. (With CI=true this is a failure.)\n${bar}\n`,
        );
        this.skip();
      }
    });

    after(async () => {
      if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
    });

    it("finds nothing in examples/github-actions/*.yml", async function () {
      this.timeout(60 * 1000);
      const res = await run(actionlint, ["-no-color", ...WORKFLOWS.map((f) => path.join(DIR, f))], DIR);
      const findings = (res.stdout + res.stderr).trim();
      if (findings !== "") console.log(findings);
      assert.equal(res.code, 0, `actionlint exited with ${res.code}:\n${findings}`);
      assert.equal(findings, "");
    });

    it("does report problems (so the test above cannot pass vacuously)", async function () {
      this.timeout(60 * 1000);
      tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-actionlint-"));
      // The example's preview workflow with three mistakes of the kind a copy-edit makes.
      const broken = source("mode-access-preview.yml")
        .replace("${{ secrets.MODE_API_TOKEN }}", "${{ secret.MODE_API_TOKEN }}")
        .replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    timeout-minutes: soon")
        .replace("  pull_request:\n", "  pull_requests:\n");
      const file = path.join(tmp, "broken.yml");
      await fs.promises.writeFile(file, broken);
      const res = await run(actionlint, ["-no-color", file], tmp);
      assert.notEqual(res.code, 0, "actionlint accepted a broken workflow");
      assert.match(res.stdout, /undefined variable "secret"/);
      assert.match(res.stdout, /timeout-minutes/);
      assert.match(res.stdout, /unknown Webhook event "pull_requests"/);
    });
  });

  for (const file of WORKFLOWS) {
    describe(file, () => {
      const text = source(file);
      const body = code(text);

      it("pins every action to a commit, with the release named in a comment", () => {
        const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
        assert.ok(uses.length >= 3);
        for (const [, ref, rest] of uses) {
          assert.match(ref, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${ref} is not pinned to a commit`);
          assert.match(rest, /#\s*v\d+\.\d+\.\d+/, `${ref} has no "# vX.Y.Z" comment`);
        }
      });

      it("declares least-privilege permissions and a concurrency group", () => {
        const permissions = /^permissions:\n((?: {2}.*\n)+)/m.exec(body);
        assert.ok(permissions, "no top-level permissions block");
        const granted = permissions[1]
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "");
        const allowed = ["contents: read", "pull-requests: write", "id-token: write"];
        for (const g of granted) assert.ok(allowed.includes(g), `unexpected permission ${g}`);
        assert.ok(granted.includes("contents: read"));
        assert.equal(granted.includes("pull-requests: write"), file === "mode-access-preview.yml");
        assert.match(body, /^concurrency:\n {2}group: \S+/m);
        assert.doesNotMatch(body, /pull_request_target|write-all|read-all/);
      });

      it("takes every credential from encrypted secrets", () => {
        for (const name of [
          "MODE_API_TOKEN",
          "MODE_API_SECRET",
          "MODE_ORG_API_TOKEN",
          "PULUMI_CONFIG_PASSPHRASE",
          "PULUMI_ACCESS_TOKEN",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
        ]) {
          const values = [...body.matchAll(new RegExp(`^\\s*${name}:\\s*(.*)$`, "gm"))].map((m) =>
            m[1].trim(),
          );
          assert.deepEqual(
            values,
            [`\${{ secrets.${name} }}`],
            `${name} must be set once, from secrets.${name}`,
          );
        }
        const backend = [...body.matchAll(/^\s*(?:cloud-url|PULUMI_BACKEND_URL):\s*(.*)$/gm)].map((m) =>
          m[1].trim(),
        );
        assert.deepEqual(
          backend,
          ["${{ secrets.PULUMI_BACKEND_URL }}"],
          "the backend URL must come from secrets",
        );
      });
    });
  }

  it("the preview workflow comments on the pull request", () => {
    const body = code(source("mode-access-preview.yml"));
    assert.match(body, /^ {2}pull_request:$/m);
    assert.match(body, /command: preview/);
    assert.match(body, /comment-on-pr: true/);
    assert.match(body, /github-token: \$\{\{ secrets\.GITHUB_TOKEN \}\}/);
  });

  it("the deploy workflow runs up on pushes to main, and never cancels a running deploy", () => {
    const body = code(source("mode-access-deploy.yml"));
    assert.match(body, /push:\n\s+branches: \[main\]/);
    assert.match(body, /command: up/);
    assert.match(body, /cancel-in-progress: false/);
  });

  it("the drift check runs on a schedule and by hand, and fails on any change", () => {
    const body = code(source("mode-access-drift.yml"));
    assert.match(body, /schedule:\n\s+- cron: "[^"]+"/);
    assert.match(body, /workflow_dispatch:/);
    assert.match(body, /^\s+pulumi preview --stack "\$STACK" --expect-no-changes .*\|$/m);
    assert.match(body, /exit "\$status"/);
  });
});
