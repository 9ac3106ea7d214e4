/**
 * Asking the right people, through the real app on the GitHub stand-in: while an approval group
 * is missing, its teams and users are asked for a review — once per head commit, never the
 * author, never someone who cannot review here, never again someone already asked.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import type { RecordedRequest } from "../../sandbox/stand-in/server.js";
import { useDemoApp } from "../helpers/demo-app.js";

const REVIEW_REQUESTS = "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers";

// QA names the author as a member too; Operations names a user without access to the repository.
const RR_POLICY = POLICY.replace(
  '- { name: QA, count: 1, teams: ["acme/qa"] }',
  `- { name: QA, count: 1, teams: ["acme/qa"], users: ["${PEOPLE.dev}"] }`,
).replace(
  '- { name: Operations, count: 1, teams: ["acme/ops"] }',
  `- { name: Operations, count: 1, teams: ["acme/ops"], users: ["${PEOPLE.ops}", "sam"] }`,
);

const decisions: string[] = [];
const world = useDemoApp(RR_POLICY, {
  onLog: (line) => {
    if (typeof line.decision === "string") decisions.push(line.decision);
  },
});

beforeAll(() => {
  // Someone on GitHub, not a collaborator of acme/shop.
  world.standIn.hub.addUser("sam", { name: "Sam Stranger", email: "sam@example.com" });
});

/** The review requests the app sent while `act` and what it caused ran. */
async function requestsDuring(act: () => unknown): Promise<RecordedRequest[]> {
  await settle(world.standIn, world.app);
  const from = world.standIn.requests.length;
  await act();
  await settle(world.standIn, world.app);
  return world.standIn.requests
    .slice(from)
    .filter((r) => r.method === "POST" && r.route === REVIEW_REQUESTS);
}

const asked = (pr: number) => {
  const pull = world.demo.repo.state.issues.get(pr)?.pull;
  return { users: [...(pull?.requestedReviewers ?? [])], teams: [...(pull?.requestedTeams ?? [])] };
};

async function openHotfix(branch: string, options: { draft?: boolean } = {}): Promise<number> {
  const { repo } = world.demo;
  await repo.push(branch, { [`src/${branch}.ts`]: "// fix\n" }, "Fix", PEOPLE.dev, {
    from: "release/1.4",
  });
  const { number } = await repo.openPull(PEOPLE.dev, {
    head: branch,
    base: "release/1.4",
    title: `Fix (${branch})`,
    body: "Fixes #1",
    ...(options.draft ? { draft: true } : {}),
  });
  return number;
}

describe("review requests for missing approvals", () => {
  let pr = 0;

  it("a new hotfix: its groups' teams and users are asked in one request — not the author, not a stranger", async () => {
    const sent = await requestsDuring(async () => {
      pr = await openHotfix("hotfix/coupon");
    });
    expect(sent.map((r) => [r.status, r.body])).toEqual([
      [201, { reviewers: [PEOPLE.ops], team_reviewers: ["ops", "qa"] }],
    ]);
    expect(asked(pr)).toEqual({ users: [PEOPLE.ops], teams: ["ops", "qa"] });
    expect(decisions).toContainEqual(
      expect.stringMatching(
        /asked @acme\/ops, @acme\/qa, @olga for a review \(@sam not asked: no access to acme\/shop\)$/,
      ),
    );
  });

  it("more events on the same head commit ask nobody again — a required check, a label, a review", async () => {
    const { repo } = world.demo;
    const head = await repo.headOf("hotfix/coupon");
    const sent = await requestsDuring(async () => {
      await repo.check(head, "build", "success");
      repo.addLabels(PEOPLE.dev, pr, ["customer-facing"]);
      // Quinn (QA) approves: GitHub drops the QA team's request; the group is met.
      repo.review(PEOPLE.qa, pr, "APPROVED");
    });
    expect(sent).toEqual([]);
    expect(asked(pr)).toEqual({ users: [PEOPLE.ops], teams: ["ops"] });
  });

  it("a new push asks again only for what is still missing and not already asked", async () => {
    const { repo } = world.demo;
    const sent = await requestsDuring(() =>
      repo.push("hotfix/coupon", { "src/hotfix/coupon.ts": "// fix 2\n" }, "Fix 2", PEOPLE.dev),
    );
    // Quinn's approval is on the older commit (invalidate_on_push): QA is missing again and its
    // team is asked; Operations' team and Olga are still asked from before.
    expect(sent.map((r) => r.body)).toEqual([{ team_reviewers: ["qa"] }]);
    expect(asked(pr)).toEqual({ users: [PEOPLE.ops], teams: ["ops", "qa"] });
  });

  it("a draft asks nobody; marked ready, it asks", async () => {
    const { repo } = world.demo;
    let draft = 0;
    const whileDraft = await requestsDuring(async () => {
      draft = await openHotfix("hotfix/draft", { draft: true });
    });
    expect(whileDraft).toEqual([]);
    const ready = await requestsDuring(() => repo.markReady(PEOPLE.dev, draft));
    expect(ready.map((r) => r.body)).toEqual([
      { reviewers: [PEOPLE.ops], team_reviewers: ["ops", "qa"] },
    ]);
  });

  it("GitHub refusing the request (422) is reported, and the gate is published all the same", async () => {
    world.standIn.fault({
      method: "POST",
      route: REVIEW_REQUESTS,
      times: 1,
      kind: {
        status: 422,
        message:
          "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/shop repository.",
      },
    });
    let refused = 0;
    const sent = await requestsDuring(async () => {
      refused = await openHotfix("hotfix/refused");
    });
    expect(sent.map((r) => r.status)).toEqual([422]);
    const head = await world.demo.repo.headOf("hotfix/refused");
    const gate = world.demo.repo.state.checkRuns.filter(
      (r) => r.name === "Hotfix policy" && r.headSha === head,
    );
    expect(gate).toHaveLength(1);
    expect(decisions).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^#${refused} hotfix .*; GitHub refused to ask @acme/ops, @acme/qa, @olga for a review \\(422: Reviews may only be requested from collaborators`,
        ),
      ),
    );
    expect(
      world.standIn.webhooks.deliveries.filter((d) => d.status !== 200).map((d) => d.event),
    ).toEqual([]);
  });
});
