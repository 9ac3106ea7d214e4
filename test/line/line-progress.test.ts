/**
 * `lineProgress`, table-tested: when a merged hotfix still holds its line (`one_per_line`), and
 * how its progress is put in words, from records as `deriveRecord` builds them.
 */
import { describe, expect, it } from "@jest/globals";
import { hotfixRecord } from "../helpers/hotfix-record.js";
import { lineProgress } from "../../src/line/line-progress.js";
import {
  emptyStored,
  type DeploymentFacts,
  type DeployOn,
  type HotfixRecord,
} from "../../src/record/schema.js";

const SHA = "99471ef0".padEnd(40, "0");

const record = hotfixRecord;

const merged = { merged: { sha: SHA } };
const tagged = { ...merged, tag: { name: "v1.4.3", version: "1.4.3", commitSha: SHA } };
const published = {
  ...tagged,
  release: { url: "https://github.com/acme/shop/releases/tag/v1.4.3", draft: false },
};

function deployment(
  stage: "staging" | "production",
  states: Array<"queued" | "in_progress" | "success" | "failure" | "error">,
): DeploymentFacts {
  return {
    id: stage === "staging" ? 1 : 2,
    ref: "v1.4.3",
    sha: SHA,
    environment: stage,
    createdAt: "2026-11-26T10:01:00Z",
    hotfix: { pr: 2, version: "1.4.3", tag: "v1.4.3", stage, requested_by: "mia" },
    statuses: states.map((state, i) => ({
      id: 10 + i,
      state,
      description: "",
      url: null,
      createdAt: `2026-11-26T10:0${2 + i}:00Z`,
    })),
  };
}

function deployOn(overrides: Partial<DeployOn> = {}): DeployOn {
  return {
    kind: "on",
    environments: { staging: "staging", production: "production" },
    promote: "manual",
    requiredContexts: [],
    monitorMinutes: 60,
    watching: "failures reported on the production deployment",
    staging: null,
    production: null,
    window: null,
    rollback: null,
    revertPull: null,
    ...overrides,
  };
}

const OPEN = { state: "open", opensAt: "2026-11-26T10:03:00Z", closesAt: "2026-11-26T11:03:00Z" };
const live = deployment("staging", ["in_progress", "success"]);

describe("lineProgress: how far a merged hotfix is through its release", () => {
  it.each<[string, Partial<HotfixRecord>, ReturnType<typeof lineProgress>]>([
    ["an open PR holds nothing", {}, { state: "open" }],
    [
      "merged, not tagged",
      merged,
      { state: "releasing", what: "merged as 99471ef, not released yet" },
    ],
    [
      "tagged, not published",
      tagged,
      { state: "releasing", what: "tagged v1.4.3, not published yet" },
    ],
    [
      "published, no deploy policy: through",
      { ...published, deploy: { kind: "off" } },
      { state: "through", what: "released as v1.4.3" },
    ],
    [
      "published, not deployed yet",
      { ...published, deploy: deployOn() },
      { state: "releasing", what: "released as v1.4.3, not deployed yet" },
    ],
    [
      "staging waiting for the deployer",
      { ...published, deploy: deployOn({ staging: deployment("staging", ["queued"]) }) },
      { state: "releasing", what: "deploying v1.4.3 to staging" },
    ],
    [
      "staging running",
      { ...published, deploy: deployOn({ staging: deployment("staging", ["in_progress"]) }) },
      { state: "releasing", what: "deploying v1.4.3 to staging" },
    ],
    [
      "staging failed: still holds the line",
      {
        ...published,
        deploy: deployOn({ staging: deployment("staging", ["in_progress", "failure"]) }),
      },
      { state: "releasing", what: "v1.4.3's staging deployment failed" },
    ],
    [
      "staging live, manual promotion",
      { ...published, deploy: deployOn({ staging: live }) },
      { state: "releasing", what: "v1.4.3 on staging, waiting for /promote-hotfix" },
    ],
    [
      "staging live, automatic promotion",
      { ...published, deploy: deployOn({ staging: live, promote: "auto" }) },
      { state: "releasing", what: "promoting v1.4.3 to production" },
    ],
    [
      "production running",
      {
        ...published,
        deploy: deployOn({
          staging: live,
          production: deployment("production", ["in_progress"]),
          window: { state: "not-started" },
        }),
      },
      { state: "releasing", what: "deploying v1.4.3 to production" },
    ],
    [
      "production live, window open",
      {
        ...published,
        deploy: deployOn({
          staging: live,
          production: deployment("production", ["success"]),
          window: OPEN as DeployOn["window"],
        }),
      },
      { state: "releasing", what: "v1.4.3 in production, monitoring until 2026-11-26 11:03 UTC" },
    ],
    [
      "production failed before it ever went live: through (failed)",
      {
        ...published,
        deploy: deployOn({ staging: live, production: deployment("production", ["error"]) }),
      },
      { state: "through", what: "v1.4.3 failed in production" },
    ],
    [
      "the window ended clean, not closed by anyone yet: through",
      {
        ...published,
        deploy: deployOn({
          staging: live,
          production: deployment("production", ["success"]),
          window: {
            state: "clean",
            opensAt: OPEN.opensAt,
            closesAt: OPEN.closesAt,
            endedAt: OPEN.closesAt,
            reason: "no failure signal in 60 minutes",
          },
        }),
      },
      { state: "through", what: "v1.4.3's monitoring window ended (clean)" },
    ],
    [
      "the window closed (failed, then rolled back): through",
      {
        ...published,
        deploy: deployOn({ staging: live, production: deployment("production", ["success"]) }),
        stored: {
          ...emptyStored(),
          window: { state: "rolled-back", at: "2026-11-26T10:30:00Z", what: "", link: null },
        },
      },
      { state: "through", what: "v1.4.3's monitoring window closed (rolled-back)" },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(lineProgress(record(overrides))).toEqual(expected);
  });
});
