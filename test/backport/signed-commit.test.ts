import { describe, expect, it } from "@jest/globals";
import { commitFields } from "../../src/backport/signed-commit.js";

const dana = { name: "Dana Dev", email: "dana@acme.example", date: "2026-11-27T10:00:00Z" };
const picked = "Fix login\n\n(cherry picked from commit " + "a".repeat(40) + ")";

describe("the fields of a commit hotfix-bot creates", () => {
  it.each([
    [
      "unsigned: the original author, the message as is",
      picked,
      dana,
      false,
      { message: picked, author: dana },
    ],
    ["unsigned without an author", picked, null, false, { message: picked }],
    [
      "signed: no author, Co-authored-by in the trailer paragraph",
      picked,
      dana,
      true,
      { message: `${picked}\nCo-authored-by: Dana Dev <dana@acme.example>` },
    ],
    [
      "signed: a message without trailers gets its own trailer paragraph",
      "Fix login",
      dana,
      true,
      { message: "Fix login\n\nCo-authored-by: Dana Dev <dana@acme.example>" },
    ],
    [
      "signed: the trailer is never added twice",
      `${picked}\nCo-authored-by: Dana Dev <dana@acme.example>`,
      dana,
      true,
      { message: `${picked}\nCo-authored-by: Dana Dev <dana@acme.example>` },
    ],
    ["signed without an author", picked, undefined, true, { message: picked }],
  ] as const)("%s", (_name, message, author, signed, expected) => {
    expect(commitFields(message, author, signed)).toEqual(expected);
  });
});
