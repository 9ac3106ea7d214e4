/** The `-x` trailer and the manual steps, checked against what git itself writes. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { manualSteps } from "../../src/backport/manual-steps.js";
import { cherryPickMessage, subjectOf } from "../../src/backport/pick-message.js";
import { GitRepo } from "../../sandbox/stand-in/git-repo.js";
import { commit, gitCherryPick, setBranch } from "./git-fixture.js";

let git: GitRepo;
let base: string;
beforeAll(async () => {
  git = await GitRepo.create();
  base = await commit(git, null, { "a.txt": "a\n" }, "base");
  await setBranch(git, "release", await commit(git, base, { "r.txt": "r\n" }, "release"));
});
afterAll(async () => {
  await git.destroy();
});

const messages = [
  "Fix",
  "Fix\n\nWhy it matters.",
  "Fix: a subject with a colon",
  "Fix\n\nSigned-off-by: Ada <ada@example.com>",
  "Fix\n\nBody.\n\nReviewed-by: Bob <bob@example.com>\nCo-authored-by: Eve <eve@example.com>",
  "Fix\n\nA normal paragraph\nthat ends the message.",
  "Fix\n\nsome words\nmore words\nSigned-off-by: Ada <ada@example.com>",
  "Fix\n\none\ntwo\nthree\nfour\nSigned-off-by: Ada <ada@example.com>",
  "Fix\n\nFixes: #12\n  continued here",
  "Fix\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
];

describe("cherryPickMessage equals git cherry-pick -x", () => {
  it.each(messages)("%j", async (message) => {
    const change = await commit(
      git,
      base,
      { [`f-${messages.indexOf(message)}.txt`]: "x\n" },
      message,
    );
    const expected = await gitCherryPick(git, "release", [change]);
    expect(cherryPickMessage(message, change)).toBe(expected.message);
  });
});

describe("subjectOf", () => {
  it("is the first line", () => {
    expect(subjectOf("Fix the thing\n\nbody")).toBe("Fix the thing");
  });
});

describe("manualSteps", () => {
  it("starts from the target and cherry-picks the carried commits", () => {
    expect(
      manualSteps({
        onto: "release/1.x",
        branch: "backport/7-to-release/1.x",
        commits: ["aaa", "bbb"],
      }),
    ).toEqual([
      "git fetch origin release/1.x",
      "git checkout -b backport/7-to-release/1.x origin/release/1.x",
      "git cherry-pick -x aaa bbb",
      "# resolve each conflict, then: git add <files> && git cherry-pick --continue",
      "git push origin backport/7-to-release/1.x",
    ]);
  });

  it("quotes names the shell would misread", () => {
    expect(manualSteps({ onto: "rel$1", branch: "b", commits: ["a"] })[0]).toBe(
      "git fetch origin 'rel$1'",
    );
  });
});
