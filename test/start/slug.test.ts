import { describe, it, expect } from "@jest/globals";
import { issueOfStartBranch, MAX_SLUG, slugOf, startBranchOf } from "../../src/start/slug.js";

describe("slugOf", () => {
  const cases: Array<[string, string | null]> = [
    ["Login crashes when the session has expired", "login-crashes-when-the-session-has"],
    ["  Checkout: 500 on /cart!!  ", "checkout-500-on-cart"],
    ["Café crème — total wrong", "cafe-creme-total-wrong"],
    ["UPPER_case and snake_case", "upper-case-and-snake-case"],
    ["v1.4.2 regression", "v1-4-2-regression"],
    ["!!!", null],
    ["🔥🔥", null],
    ["登录崩溃", null],
    ["", null],
    ["   ", null],
    // Longer than MAX_SLUG: cut at the last whole word within the limit.
    [
      "Payments fail for every customer paying with a card issued abroad",
      "payments-fail-for-every-customer-paying",
    ],
    // One word longer than the limit: cut where the limit falls.
    ["a".repeat(60), "a".repeat(MAX_SLUG)],
    // A cut right after a separator leaves no trailing dash.
    [`${"b".repeat(39)} c`, "b".repeat(39)],
  ];
  it.each(cases)("%j → %j", (title, expected) => {
    const slug = slugOf(title);
    expect(slug).toBe(expected);
    if (slug !== null) {
      expect(slug.length).toBeLessThanOrEqual(MAX_SLUG);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe("startBranchOf / issueOfStartBranch", () => {
  const cases: Array<[number, string, string | null]> = [
    [12, "Login crashes", "hotfix/12-login-crashes"],
    [7, "???", null],
  ];
  it.each(cases)("#%d %j → %j", (issue, title, expected) => {
    expect(startBranchOf(issue, title)).toBe(expected);
    if (expected) expect(issueOfStartBranch(expected)).toBe(issue);
  });

  const branches: Array<[string, number | null]> = [
    ["hotfix/12-login-crashes", 12],
    ["hotfix/session-expiry", null],
    ["hotfix/012-x", null],
    ["hotfix/12-", null],
    ["feature/12-login", null],
    ["hotfix/12", null],
  ];
  it.each(branches)("issue of %j is %j", (branch, issue) => {
    expect(issueOfStartBranch(branch)).toBe(issue);
  });
});
