import { describe, expect, it } from "@jest/globals";
import { readStoredBlock, writeStoredBlock } from "../../src/record/stored-block.js";
import { emptyStored, type StoredRecord } from "../../src/record/schema.js";

const full: StoredRecord = {
  v: 2,
  release: {
    by: "mia",
    at: "2026-11-26T10:00:00Z",
    headSha: "a".repeat(40),
    method: "squash",
    tag: "v1.4.3",
  },
  releaseFailure: { step: "release", reason: "GitHub answered 502 -- try again", at: "x" },
  backports: {
    main: { kind: "queued", at: "t" },
    "release/9.*": { kind: "no-branch", at: "t" },
    "release/1.3": {
      kind: "conflict-comment",
      files: ["a.ts"],
      link: "https://github.com/acme/shop/pull/2#c1",
      at: "t",
    },
  },
  deployRefusal: { stage: "production", status: 409, message: "Conflict", at: "t" },
  window: { state: "failed", at: "t", what: "check run `smoke` ended failure", link: null },
  rollback: { by: "mia", at: "t", previousTag: "v1.4.2", revertFailure: "502" },
};

describe("the tracking comment's hidden block", () => {
  it("round-trips everything it stores, inside an HTML comment that `--` cannot break", () => {
    const block = writeStoredBlock(full);
    expect(block.startsWith("<!-- hotfix-bot:record ")).toBe(true);
    expect(block.slice(4, -3)).not.toContain("--");
    expect(readStoredBlock(`### text\n\n${block}`)).toEqual(full);
  });

  it("reads as empty when there is none, or when a person broke it by editing the comment", () => {
    expect(readStoredBlock("no block here")).toEqual(emptyStored());
    expect(readStoredBlock('<!-- hotfix-bot:record {"v":2,"release":{"by": -->')).toEqual(
      emptyStored(),
    );
    // Valid JSON of the wrong shape is not trusted either.
    expect(readStoredBlock('<!-- hotfix-bot:record {"v":2,"release":{"by":3}} -->')).toEqual(
      emptyStored(),
    );
    expect(readStoredBlock('<!-- hotfix-bot:record {"v":3} -->')).toEqual(emptyStored());
  });

  it("carries over the block of the previous version (v1), so hotfixes in flight survive an upgrade", () => {
    const v1 = {
      stages: {
        gate: {
          state: "done",
          text: "all requirements met on abc1234",
          at: "2026-11-26T10:00:00Z",
        },
        merge: { state: "done", text: "merged" },
        tag: { state: "failed", text: "the tag v1.4.3 already exists on def5678", at: "t1" },
        "backport:main": { state: "done", text: "already on `main`: nothing to do", at: "t2" },
        "backport:release/9.*": { state: "skipped", text: "no branch matches `release/9.*`" },
        "backport:release/1.3": { state: "failed", text: "The target branch does not exist." },
        "backport:release/1.2": {
          state: "pending",
          text: "conflicts in `a.ts`: finish by hand (see comment)",
          link: "https://x/c",
        },
        "backport:release/1.1": { state: "done", text: "#7", link: "https://x/7" },
        monitor: { state: "done", text: "closed clean at …", at: "t3" },
        rollback: { state: "running", text: "asked by @mia: `v1.4.2` → …", at: "t4" },
      },
      facts: {
        releasedBy: "mia",
        tag: "v1.4.3",
        version: "1.4.3",
        mergeMethod: "squash",
        rollbackTag: "v1.4.2",
      },
    };
    const stored = readStoredBlock(`<!-- hotfix-bot:state ${JSON.stringify(v1)} -->`);
    expect(stored).toEqual({
      v: 2,
      release: {
        by: "mia",
        at: "2026-11-26T10:00:00Z",
        headSha: "",
        method: "squash",
        tag: "v1.4.3",
      },
      releaseFailure: { step: "tag", reason: "the tag v1.4.3 already exists on def5678", at: "t1" },
      backports: {
        main: { kind: "already-present", reason: "already on `main`: nothing to do", at: "t2" },
        "release/9.*": { kind: "no-branch", at: "" },
        "release/1.3": { kind: "failed", reason: "The target branch does not exist.", at: "" },
        "release/1.2": { kind: "conflict-comment", files: [], link: "https://x/c", at: "" },
      },
      window: { state: "clean", at: "t3", what: "closed clean at …", link: null },
      rollback: { by: "mia", at: "t4", previousTag: "v1.4.2" },
    });
  });
});
