import { describe, expect, it } from "@jest/globals";
import { targetAllowed } from "../../src/gate/requirements/target.js";
import { noBlockingLabels } from "../../src/gate/requirements/blocking-labels.js";
import { readyForReview } from "../../src/gate/requirements/ready.js";
import { linkedIssuePresent, linkedIssues } from "../../src/gate/requirements/linked-issue.js";
import { requiredChecksPassed } from "../../src/gate/requirements/checks.js";
import { recogniseHotfix, labelToAdd } from "../../src/gate/recognise.js";
import { HEAD, policy, pull, run, status } from "./fixtures.js";

describe("recognition", () => {
  const hotfix = policy().hotfix;
  it.each([
    ["hotfix/cart", [], true, true, false],
    ["feature/x", ["hotfix"], true, false, true],
    ["feature/x", ["HotFix"], true, false, true],
    ["hotfix/cart", ["hotfix"], true, true, true],
    ["feature/x", ["bug"], false, false, false],
    ["hotfixes", [], false, false, false],
  ])("head %s with labels %j → hotfix %s", (ref, labels, hot, byBranch, byLabel) => {
    const r = recogniseHotfix(
      pull({ head: { ref, sha: HEAD, repoFullName: null }, labels }),
      hotfix,
    );
    expect(r.hotfix).toBe(hot);
    if (r.hotfix) expect([r.byBranch, r.byLabel]).toEqual([byBranch, byLabel]);
  });

  it("adds the first hotfix label only when recognised by branch alone", () => {
    const byBranch = recogniseHotfix(pull(), hotfix);
    expect(labelToAdd(byBranch, hotfix)).toBe("hotfix");
    expect(labelToAdd(recogniseHotfix(pull({ labels: ["hotfix"] }), hotfix), hotfix)).toBeNull();
  });
});

describe("base branch", () => {
  it.each([
    ["main", "met"],
    ["release/1.4", "met"],
    ["release/1.4/extra", "failed"],
    ["develop", "failed"],
  ])("%s → %s", (ref, state) => {
    const r = targetAllowed(pull({ base: { ref, sha: HEAD, repoFullName: "acme/api" } }), policy());
    expect(r.state).toBe(state);
    if (state === "failed")
      expect(r.reason).toMatch(
        /not a hotfix target \(allowed: `main`, `release\/\*`\); change the PR's base branch/,
      );
  });
});

describe("blocking labels and drafts", () => {
  it("fails while a blocking label is present, case-insensitively", () => {
    expect(noBlockingLabels(pull({ labels: ["hotfix"] }), policy()).state).toBe("met");
    const r = noBlockingLabels(pull({ labels: ["Do-Not-Release"] }), policy());
    expect(r).toMatchObject({
      state: "failed",
      reason: "`Do-Not-Release` blocks the release; remove it when the hotfix may ship",
    });
  });
  it("waits while the PR is a draft", () => {
    expect(readyForReview(pull({ draft: true })).state).toBe("waiting");
    expect(readyForReview(pull()).state).toBe("met");
  });
});

describe("linked issue", () => {
  it.each([
    ["Fixes #12", ["#12"]],
    ["resolves acme/api#12 and closes #3", ["acme/api#12", "#3"]],
    ["See https://github.com/acme/api/issues/44 for details", ["acme/api#44"]],
    ["(#9)", ["#9"]],
    ["no reference here", []],
    ["the log says `error #12`", []],
    ["```\nstack #33\n```\nnothing", []],
    ["colour#fff is not an issue", []],
    ["<!-- Fixes #1 template comment -->", []],
  ])("%j → %j", (text, expected) => {
    expect(linkedIssues(text)).toEqual(expected);
  });

  it("is only a requirement when the policy asks for it", () => {
    expect(linkedIssuePresent(pull({ body: "" }), policy())).toBeNull();
    const required = policy({ hotfix: { require_linked_issue: true } });
    expect(linkedIssuePresent(pull({ body: "" }), required)).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/add "Fixes #<issue>"/),
    });
    expect(linkedIssuePresent(pull({ title: "Fix #12: crash", body: "" }), required)?.state).toBe(
      "met",
    );
  });
});

describe("required checks", () => {
  const required = policy({ checks: { required: ["build", "test (*)"] } });
  const facts = (
    checkRuns = [run("build", "completed", "success")],
    statuses = [status("test (node 20)", "success")],
  ) => ({
    headSha: HEAD,
    checkRuns,
    statuses,
    ownAppId: 99,
  });

  it("is not a requirement when none are required", () => {
    expect(requiredChecksPassed(facts(), policy())).toBeNull();
  });

  it.each([
    ["all passed (check run + status)", facts(), "met", /2 required checks passed on aaaaaaa/],
    [
      "neutral and skipped count as passed",
      facts([run("build", "completed", "neutral")], [status("test (a)", "success")]),
      "met",
      /passed/,
    ],
    [
      "a pattern nobody reported",
      facts([run("build", "completed", "success")], []),
      "waiting",
      /no check matching `test \(\*\)` has reported on aaaaaaa yet/,
    ],
    [
      "a check still running",
      facts([run("build", "in_progress")]),
      "waiting",
      /\[build\]\(.*\) still running/,
    ],
    [
      "a status pending",
      facts(undefined, [status("test (x)", "pending")]),
      "waiting",
      /still running/,
    ],
    [
      "a failed check with its link",
      facts([run("build", "completed", "failure")]),
      "failed",
      /\[build\]\(https:\/\/github.com\/acme\/api\/runs\/\d+\) failure on aaaaaaa/,
    ],
    ["a timed out check", facts([run("build", "completed", "timed_out")]), "failed", /timed out/],
    [
      "an errored status",
      facts(undefined, [status("test (y)", "error")]),
      "failed",
      /test \(y\).*error/,
    ],
    ["a cancelled check", facts([run("build", "completed", "cancelled")]), "failed", /cancelled/],
  ])("%s → %s", (_name, f, state, reason) => {
    const r = requiredChecksPassed(f, required);
    expect(r?.state).toBe(state);
    expect(r?.reason).toMatch(reason);
  });

  it("uses the latest run per name: a green re-run replaces a red run", () => {
    const red = run("build", "completed", "failure", { startedAt: "2026-11-26T09:00:00Z" });
    const green = run("build", "completed", "success", { startedAt: "2026-11-26T09:30:00Z" });
    expect(requiredChecksPassed(facts([green, red]), required)?.state).toBe("met");
    expect(requiredChecksPassed(facts([red, green]), required)?.state).toBe("met");
    const rerunRed = run("build", "completed", "failure", { startedAt: "2026-11-26T10:00:00Z" });
    expect(requiredChecksPassed(facts([green, rerunRed]), required)?.state).toBe("failed");
  });

  it("never counts the bot's own check run", () => {
    const all = policy({ checks: { required: ["*"] } });
    const ours = run("Hotfix policy", "completed", "failure", { appId: 99 });
    expect(
      requiredChecksPassed(facts([ours, run("build", "completed", "success")], []), all)?.state,
    ).toBe("met");
    expect(requiredChecksPassed(facts([ours], []), all)?.state).toBe("waiting");
  });
});

describe("required checks from a named app (forged statuses)", () => {
  // Anyone who can push may post a commit status or create a check run named "build".
  const fromActions = policy({
    checks: { required: [{ name: "build", app: "github-actions" }, "lint"] },
  });
  const plainName = policy({ checks: { required: ["build", "lint"] } });
  const real = (conclusion: string, extra = {}) =>
    run("build", "completed", conclusion, { appId: 15368, appSlug: "github-actions", ...extra });
  const forgedRun = (conclusion: string, extra = {}) =>
    run("build", "completed", conclusion, { appId: 4242, appSlug: "mallory-app", ...extra });
  const forgedStatus = (state: "success" | "failure", creator = "mallory") => ({
    ...status("build", state),
    creator,
  });
  const lint = run("lint", "completed", "success");
  const facts = (
    checkRuns: ReturnType<typeof run>[],
    statuses: ReturnType<typeof status>[] = [],
  ) => ({
    headSha: HEAD,
    checkRuns: [...checkRuns, lint],
    statuses,
    ownAppId: 99,
  });

  it.each([
    [
      "the app's own run passes",
      "met",
      fromActions,
      facts([real("success")]),
      /2 required checks passed/,
    ],
    [
      "a forged green status alone does not satisfy it",
      "waiting",
      fromActions,
      facts([], [forgedStatus("success")]),
      /no check matching `build` from github-actions has reported on aaaaaaa yet; `build` reported by @mallory does not count: the policy accepts it only from github-actions/,
    ],
    [
      "a forged green check run from another app alone does not satisfy it",
      "waiting",
      fromActions,
      facts([forgedRun("success")]),
      /`build` reported by the app mallory-app does not count/,
    ],
    [
      "a forged green status does not hide the app's red run",
      "failed",
      fromActions,
      facts([real("failure")], [forgedStatus("success")]),
      /\[build\]\(.*\) failure on aaaaaaa/,
    ],
    [
      "a newer forged green run from another app does not replace the app's red run",
      "failed",
      fromActions,
      facts([
        real("failure", { startedAt: "2026-11-26T09:00:00Z" }),
        forgedRun("success", { startedAt: "2026-11-26T11:00:00Z" }),
      ]),
      /failure on aaaaaaa/,
    ],
    [
      "a status counts when the app's bot posted it",
      "met",
      fromActions,
      facts([], [forgedStatus("success", "github-actions[bot]")]),
      /passed/,
    ],
    [
      "a status from a user whose login merely contains the slug does not",
      "waiting",
      fromActions,
      facts([], [forgedStatus("success", "github-actions-fan")]),
      /@github-actions-fan does not count/,
    ],
    [
      "a plain name accepts any source (the documented risk { name, app } closes)",
      "met",
      plainName,
      facts([], [forgedStatus("success")]),
      /passed/,
    ],
  ] as const)("%s → %s", (_name, state, required, f, reason) => {
    const r = requiredChecksPassed(f, required);
    expect(r?.state).toBe(state);
    expect(r?.reason).toMatch(reason);
  });

  it("lists ignored impostors in the details, so the PR shows why they do not count", () => {
    const r = requiredChecksPassed(
      facts([real("success")], [forgedStatus("success")]),
      fromActions,
    );
    expect(r?.state).toBe("met");
    expect(r?.details).toContain(
      "⚠️ `build` reported by @mallory does not count: the policy accepts it only from github-actions",
    );
  });

  it("with a GitHub Actions token (no app id) the bot's own runs are known by name", () => {
    const all = policy({ checks: { required: ["*"] } });
    const ours = run("Hotfix policy", "in_progress", null, { appSlug: "github-actions" });
    const file = run("Hotfix policy file", "completed", "failure", { appSlug: "github-actions" });
    const f = { headSha: HEAD, checkRuns: [ours, file, lint], statuses: [], ownAppId: null };
    expect(requiredChecksPassed(f, all)?.state).toBe("met");
  });
});
