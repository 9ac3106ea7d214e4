import { emptyStored, type HotfixRecord } from "../../src/record/schema.js";

/** A hotfix record before anything happened to it: open, unreleased, nothing stored. */
export function hotfixRecord(overrides: Partial<HotfixRecord> = {}): HotfixRecord {
  return {
    pr: 2,
    url: "https://github.com/acme/shop/pull/2",
    title: "Fix login",
    base: "release/1.4",
    author: "dana",
    merged: null,
    tag: null,
    release: null,
    backports: [],
    deploy: { kind: "not-released" },
    notices: [],
    stored: emptyStored(),
    ...overrides,
  };
}
