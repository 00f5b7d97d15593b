/**
 * The access model's value rules (provider/rules.ts): what a group or collection name and a
 * collection description may be, and that the client refuses exactly what the rule refuses (the same
 * rule serves resource `check`, so a preview that passes never meets an argument error at `up`).
 */
import { strict as assert } from "node:assert";
import { ApiError, ModeClient } from "../../provider/client";
import { RULES, meets, sameGroupName } from "../../provider/rules";

const mode = new ModeClient({
  apiUrl: "http://127.0.0.1:9",
  token: "t0ken",
  secret: "s3cret",
  retry: { retries: 0 },
});

/** True when the client refused its arguments (nothing sent); false when it sent the request. */
async function clientRefuses(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
  } catch (err) {
    return err instanceof ApiError && err.kind === "invalid_argument";
  }
  return false;
}

const names: [string, boolean][] = [
  ["Analysts", true],
  ["Data & Analytics (EMEA)", true],
  ["Équipe données — 東京", true],
  ["a", true],
  ["x".repeat(255), true],
  ["x".repeat(256), false],
  ["", false],
  [" ", false],
  [" padded", false],
  ["padded ", false],
  ["two\nlines", false],
  ["tab\there", false],
  ["bell\u0007", false],
  ["a/b?c#d..e", true],
];

const descriptions: [string, boolean][] = [
  ["", true],
  ["Money.\nBudgets,\tforecasts.\r\n", true],
  ["x".repeat(10_000), true],
  ["x".repeat(10_001), false],
  ["bell\u0007", false],
  ["nul\u0000", false],
];

describe("access-model rules", () => {
  it("group and collection names: 1..255 characters, no control characters, no padding", async () => {
    for (const [name, ok] of names) {
      assert.equal(meets(RULES.groupName, name), ok, JSON.stringify(name));
      assert.equal(meets(RULES.collectionName, name), ok, JSON.stringify(name));
      assert.equal(await clientRefuses(() => mode.createGroup("acme", { name })), !ok, JSON.stringify(name));
      assert.equal(await clientRefuses(() => mode.createSpace("acme", { name })), !ok, JSON.stringify(name));
    }
  });

  it("collection descriptions: up to 10,000 characters, line breaks and tabs allowed", async () => {
    for (const [description, ok] of descriptions) {
      assert.equal(
        meets(RULES.collectionDescription, description),
        ok,
        JSON.stringify(description.slice(0, 20)),
      );
      const refused = await clientRefuses(() => mode.updateSpace("acme", "s1", { description }));
      assert.equal(refused, !ok, JSON.stringify(description.slice(0, 20)));
    }
  });

  it("group names compare regardless of case and surrounding spaces", () => {
    assert.ok(sameGroupName("Analysts", "aNALYSTS"));
    assert.ok(sameGroupName(" Analysts", "analysts "));
    assert.ok(!sameGroupName("Analysts", "Analyst"));
  });
});
