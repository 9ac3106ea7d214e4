/**
 * The stand-in signs commits as GitHub does for an App: a commit created through the Git Data API
 * with no custom author, committer or signature is "Verified"; one with a custom author is not.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { commit } from "../backport/git-fixture.js";

let standIn: StandIn;
let root: string;
let tree: string;

beforeAll(async () => {
  standIn = await startStandIn();
  const git = await standIn.createRepo("acme", "signed");
  root = await commit(git, null, { "a.txt": "a\n" }, "root");
  tree = (await git.treeOf(root)) as string;
});
afterAll(() => standIn.close());

async function create(body: Record<string, unknown>) {
  const response = await fetch(`${standIn.url}/repos/acme/signed/git/commits`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "m", tree, parents: [root], ...body }),
  });
  const created = (await response.json()) as { sha: string; verification: { verified: boolean } };
  const read = await fetch(`${standIn.url}/repos/acme/signed/commits/${created.sha}`);
  const listed = (await read.json()) as { commit: { verification: { verified: boolean } } };
  return { created: created.verification, read: listed.commit.verification };
}

describe("commit signatures in the stand-in", () => {
  it.each([
    ["no custom author or committer: signed by GitHub", {}, true],
    [
      "a custom author: not signed",
      { author: { name: "Dana", email: "dana@acme.example", date: "2026-11-27T10:00:00Z" } },
      false,
    ],
    [
      "a custom committer: not signed",
      { committer: { name: "Dana", email: "dana@acme.example", date: "2026-11-27T10:00:00Z" } },
      false,
    ],
  ] as const)("%s", async (_name, body, verified) => {
    const { created, read } = await create(body);
    expect(created).toMatchObject({ verified, reason: verified ? "valid" : "unsigned" });
    expect(read).toMatchObject({ verified });
    expect(standIn.problems()).toEqual([]);
  });
});
