import { describe, expect, it } from "@jest/globals";
import { hotfixPayload, readHotfixPayload } from "../../src/record/deployment-payload.js";

const payload = {
  pr: 12,
  version: "1.4.3",
  tag: "v1.4.3",
  stage: "staging" as const,
  requested_by: "alice",
};

describe("the hotfix_bot deployment payload", () => {
  it("reads back what it writes, as an object or as the JSON string old clients stored", () => {
    expect(readHotfixPayload(hotfixPayload(payload))).toEqual(payload);
    expect(readHotfixPayload(JSON.stringify(hotfixPayload(payload)))).toEqual(payload);
    const rollback = { ...payload, stage: "rollback" as const, rollback_of: "v1.4.4" };
    expect(readHotfixPayload(hotfixPayload(rollback))).toEqual(rollback);
  });

  it.each([
    ["an empty payload (someone else's deployment)", {}],
    ["another tool's payload", { deploy: { pr: 12 } }],
    ["an unknown stage", { hotfix_bot: { ...payload, stage: "canary" } }],
    ["a PR that is not a number", { hotfix_bot: { ...payload, pr: "12" } }],
    ["text that is not JSON", "not json"],
    ["null", null],
  ])("is not ours: %s", (_, raw) => {
    expect(readHotfixPayload(raw)).toBeNull();
  });
});
