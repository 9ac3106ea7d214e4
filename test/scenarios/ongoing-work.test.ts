/**
 * Conflicts with ongoing work, through the real app on the GitHub stand-in (real git answers
 * every PR's files): the gate lists the other open PRs to the hotfix's base that change the same
 * files — other hotfixes, then ordinary PRs, then backport PRs — as a warning that holds nothing,
 * or, with `conflicts.on_overlap: block`, as a wait; a PR too large to list is said to be so; and
 * what a re-evaluation costs is counted.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import type { DeliveryRecord } from "../../sandbox/stand-in/webhooks.js";
import { useDemoApp } from "../helpers/demo-app.js";

const world = useDemoApp(POLICY);

const BASE = "release/1.4";
const CART = "src/cart.ts";

async function deliveriesOf(act: () => unknown): Promise<DeliveryRecord[]> {
  await settle(world.standIn, world.app);
  const from = world.standIn.webhooks.deliveries.length;
  await act();
  await settle(world.standIn, world.app);
  return world.standIn.webhooks.deliveries.slice(from);
}

/** Someone's PR to release/1.4 from `branch`, changing `files`. */
async function openPull(
  who: string,
  branch: string,
  files: Record<string, string>,
  labels: string[] = [],
): Promise<number> {
  const { repo } = world.demo;
  await repo.push(branch, files, `Work on ${branch}`, who, { from: BASE });
  const { number } = await repo.openPull(who, {
    head: branch,
    base: BASE,
    title: `Work on ${branch}`,
    body: "Fixes #1",
  });
  if (labels.length) repo.addLabels(who, number, labels);
  await settle(world.standIn, world.app);
  return number;
}

const gate = (sha: string) =>
  world.demo.repo.state.checkRuns
    .filter((r) => r.name === "Hotfix policy" && r.headSha === sha)
    .at(-1);

const row = (sha: string) =>
  (gate(sha)?.output.summary ?? "").split("\n").find((l) => l.includes("| Ongoing work |")) ?? "";

const link = (n: number) => `[#${n}](https://github.com/acme/shop/pull/${n})`;

describe("other open PRs that change the hotfix's files", () => {
  let coupons = 0;
  let docs = 0;
  let backport = 0;
  let otherHotfix = 0;
  let hotfix = 0;
  let head = "";

  beforeAll(async () => {
    // Ongoing work on release/1.4, opened before the hotfix.
    coupons = await openPull(PEOPLE.captain, "feature/coupons", {
      [CART]: "// coupons\n",
      "src/coupons.ts": "export {};\n",
    });
    docs = await openPull(PEOPLE.captain, "docs/faq", { "docs/faq.md": "# FAQ\n" });
    // A backport PR as hotfix-bot names them (`backport/<pr>-to-<target>`).
    backport = await openPull(PEOPLE.captain, `backport/1-to-${BASE}`, { [CART]: "// older\n" });
    otherHotfix = await openPull(PEOPLE.dev, "hotfix/tax", { [CART]: "// tax\n" });
    hotfix = await openPull(PEOPLE.dev, "hotfix/cart-rounding", {
      [CART]: "// rounding\n",
      "src/login.ts": "// untouched by others\n",
    });
    head = await world.demo.repo.headOf("hotfix/cart-rounding");
  }, 120_000);

  it("lists the overlapping PRs — the other hotfix, then the ordinary PR, then the backport — with the files, and not the PR that changes other files", () => {
    const [icon, title, details] = row(head).slice(2, -2).split(" | ");
    expect([icon, title]).toEqual(["⚠️", "Ongoing work"]);
    expect(details?.split("<br>")).toEqual([
      `${link(otherHotfix)}, ${link(coupons)} and ${link(backport)} change the same files in \`${BASE}\`: agree with their authors which goes first (a warning: it does not hold the release)`,
      `${link(otherHotfix)} (hotfix) Work on hotfix/tax — @${PEOPLE.dev}: \`${CART}\``,
      `${link(coupons)} (PR) Work on feature/coupons — @${PEOPLE.captain}: \`${CART}\``,
      `${link(backport)} (backport) Work on backport/1-to-${BASE} — @${PEOPLE.captain}: \`${CART}\``,
    ]);
    expect(row(head)).not.toContain(`#${docs}]`);
  });

  it("a warning does not change the conclusion: green once CI and both groups approve", async () => {
    const { repo } = world.demo;
    await deliveriesOf(async () => {
      await repo.check(head, "build", "success");
      repo.review(PEOPLE.qa, hotfix, "APPROVED");
      repo.review(PEOPLE.ops, hotfix, "APPROVED");
    });
    expect(gate(head)).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: {
        title:
          "8 of 8 requirements met — ready to release: comment /release-hotfix (⚠️ Ongoing work)",
      },
    });
  });

  it("what a re-evaluation costs: the open PRs (one request) and each one's files, all answered 304 when nothing changed", async () => {
    const { repo } = world.demo;
    const from = world.standIn.requests.length;
    const [delivery] = await deliveriesOf(() =>
      repo.review(PEOPLE.captain, hotfix, "COMMENTED", "Looks fine"),
    );
    const sent = world.standIn.requests.slice(from).map((r) => `${r.status} ${r.route}`);
    expect(sent.sort()).toEqual(
      [
        // What the gate read before: the policy, reviews, check runs, statuses, two teams.
        "304 /repos/{owner}/{repo}/contents/{path+}",
        "200 /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        "304 /repos/{owner}/{repo}/commits/{ref+}/check-runs",
        "304 /repos/{owner}/{repo}/commits/{ref+}/status",
        "304 /orgs/{org}/teams/{team_slug}/members",
        "304 /orgs/{org}/teams/{team_slug}/members",
        // GitHub's rules of release/1.4: its rulesets' rules (none) and the branch (unprotected).
        "304 /repos/{owner}/{repo}/rules/branches/{branch+}",
        "304 /repos/{owner}/{repo}/branches/{branch+}",
        // Ongoing work: one list of open PRs to release/1.4; the files of the hotfix and of
        // the 4 other open PRs.
        "304 /repos/{owner}/{repo}/pulls",
        ...Array(5).fill("304 /repos/{owner}/{repo}/pulls/{pull_number}/files"),
      ].sort(),
    );
    // Counted: the reviews, which the new review changed — and nothing else.
    expect(delivery).toMatchObject({ event: "pull_request_review", requests: 14, counted: 1 });
  });

  it("a PR changing more files than GitHub lists (3,000) is too large to compare", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 3001; i++) many[`generated/f${String(i).padStart(4, "0")}.ts`] = "x\n";
    const huge = await openPull(PEOPLE.captain, "chore/regenerate", many);
    await deliveriesOf(() => world.demo.repo.review(PEOPLE.captain, hotfix, "COMMENTED", "Again"));
    expect(row(head)).toContain(
      `${link(huge)} (PR) changes 3,000 files or more: too large to compare`,
    );
    world.demo.repo.closePull(PEOPLE.captain, huge);
  }, 120_000);

  it("with `block`, the overlap holds the gate and /release-hotfix", async () => {
    const { repo } = world.demo;
    await deliveriesOf(() =>
      repo.push(
        "main",
        { ".github/hotfix.yml": `${POLICY}conflicts:\n  on_overlap: block\n` },
        "Block releases over ongoing work",
        PEOPLE.releaser,
      ),
    );
    expect(gate(head)).toMatchObject({
      status: "in_progress",
      output: { title: "7 of 8 requirements met — waiting for Ongoing work" },
    });
    expect(row(head)).toMatch(/^\| ⏳ \| Ongoing work \| waiting for /);

    await deliveriesOf(() => repo.comment(PEOPLE.releaser, hotfix, "/release-hotfix"));
    const replies = [...repo.state.comments.values()].filter((c) => c.issue === hotfix);
    expect(replies.at(-1)?.body).toMatch(
      /^@mia not released: the hotfix policy is not met on \w{7}\. Missing:\n\n- ⏳ \*\*Ongoing work\*\*: waiting for /,
    );
    expect(repo.state.issues.get(hotfix)?.pull?.merged).toBe(false);
  }, 120_000);

  it("with `block`, what the other PRs do frees the hotfix at once: closed, or no longer changing its files", async () => {
    const { repo } = world.demo;
    await deliveriesOf(() => {
      repo.closePull(PEOPLE.dev, otherHotfix);
      repo.closePull(PEOPLE.captain, backport);
    });
    // Re-evaluated on those PRs' `closed` events: only the ordinary PR holds it now.
    expect(row(head)).toContain(`| waiting for ${link(coupons)}: it changes the same files`);

    // The coupons PR gives its change to the cart back: its push re-evaluates the hotfix.
    const original = (await repo.git.git(["show", `${BASE}:${CART}`])).stdout.toString("utf8");
    await deliveriesOf(() =>
      repo.push("feature/coupons", { [CART]: original }, "Leave the cart alone", PEOPLE.captain),
    );
    expect(gate(head)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(row(head)).toMatch(/^\| ✅ \| Ongoing work \| none of the 2 other open PRs/);

    await deliveriesOf(() => repo.comment(PEOPLE.releaser, hotfix, "/release-hotfix"));
    expect(repo.state.issues.get(hotfix)?.pull?.merged).toBe(true);
  }, 120_000);
});
