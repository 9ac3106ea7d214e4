/**
 * Signed backports (`backport.signed: true`), through the real app on the GitHub stand-in: the
 * backport commits — a clean one, and the draft with the conflict committed — are created with
 * no custom author or committer, so GitHub signs them (the stand-in marks them verified as
 * GitHub does for an App's API commits), and the original author is kept as a
 * `Co-authored-by:` trailer.
 */
import { describe, expect, it } from "@jest/globals";
import { settle } from "../../sandbox/app-host.js";
import { PEOPLE, POLICY } from "../../sandbox/demo-repo.js";
import { verificationOf } from "../../sandbox/stand-in/routes/shapes.js";
import { useDemoApp } from "../helpers/demo-app.js";

const SIGNED = POLICY.replace('  reviewers: ["rita"]\n', '  reviewers: ["rita"]\n  signed: true\n');
const world = useDemoApp(SIGNED);

describe("signed backports", () => {
  it("backport commits are made so that GitHub signs them, the author kept as Co-authored-by", async () => {
    expect(SIGNED).toContain("signed: true");
    const { repo } = world.demo;
    await repo.push(
      "hotfix/signed",
      { "src/signed.ts": "export const signed = true;\n" },
      "Sign the fix",
      PEOPLE.dev,
      {
        from: "release/1.4",
      },
    );
    const { number: pr } = await repo.openPull(PEOPLE.dev, {
      head: "hotfix/signed",
      base: "release/1.4",
      title: "Signed fix",
      body: "Fixes #1",
    });
    const head = await repo.headOf("hotfix/signed");
    await repo.check(head, "build", "success");
    repo.review(PEOPLE.qa, pr, "APPROVED");
    repo.review(PEOPLE.ops, pr, "APPROVED");
    await settle(world.standIn, world.app);
    repo.comment(PEOPLE.releaser, pr, "/release-hotfix");
    await settle(world.standIn, world.app);

    const picked = await repo.headOf(`backport/${pr}-to-main`);
    const commit = await repo.git.readCommit(picked);
    expect(verificationOf(picked)).toMatchObject({ verified: true, reason: "valid" });
    expect(commit?.author.name).toBe("stand-in[bot]");
    expect(commit?.message).toMatch(
      new RegExp(`\\(cherry picked from commit [0-9a-f]{40}\\)\\nCo-authored-by: .+ <.+>$`),
    );
    const author = world.standIn.hub.user(PEOPLE.dev);
    expect(commit?.message).toContain(`Co-authored-by: ${author.name} <${author.email}>`);
    // The other target too: every commit hotfix-bot put on a backport branch is signed.
    const other = await repo.headOf(`backport/${pr}-to-release/1.3`);
    expect(verificationOf(other)).toMatchObject({ verified: true });
    expect(world.standIn.problems()).toEqual([]);
  }, 60_000);
});
