import { describe, expect, it } from "@jest/globals";
import { emptyState, setStage, type Stage } from "../../src/tracking/state.js";

const merged: Stage = { state: "done", text: "merged as 1a2b3c4", at: "2026-11-26T10:00:00Z" };

describe("setStage", () => {
  it("keeps when a stage last changed when it is set to what it already shows", () => {
    const before = setStage(emptyState(), "merge", merged);
    const again = setStage(before, "merge", { ...merged, at: "2026-11-26T11:00:00Z" });
    expect(again).toBe(before);
    expect(again.stages.merge?.at).toBe("2026-11-26T10:00:00Z");
  });

  it.each([
    ["state", { state: "failed" as const }],
    ["text", { text: "merged as 9f8e7d6" }],
    ["link", { link: "https://github.com/acme/shop/pull/2" }],
  ])("records the change, with its time, when the %s differs", (_, change) => {
    const before = setStage(emptyState(), "merge", merged);
    const after = setStage(before, "merge", { ...merged, ...change, at: "2026-11-26T11:00:00Z" });
    expect(after.stages.merge).toEqual({ ...merged, ...change, at: "2026-11-26T11:00:00Z" });
  });
});
