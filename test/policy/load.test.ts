import { describe, expect, it } from "@jest/globals";
import { loadPolicy } from "../../src/policy/load.js";
import type { RepoRef } from "../../src/github/port.js";

/** A port fake: files by "owner/repo:path", read from the default branch only. */
function repoWith(files: Record<string, string>, repo: RepoRef = { owner: "acme", repo: "api" }) {
  const reads: string[] = [];
  return {
    reads,
    github: {
      repo,
      async readFile(path: string, options: { ref?: string; repo?: RepoRef } = {}) {
        expect(options.ref).toBeUndefined(); // policy is never read from a PR head
        const where = options.repo ?? repo;
        const source = `${where.owner}/${where.repo}:${path}`;
        reads.push(source);
        const text = files[source];
        return text === undefined ? null : { text, size: Buffer.byteLength(text), source };
      },
    },
  };
}

describe("loadPolicy", () => {
  it("is absent when neither the repository nor the organisation has a policy", async () => {
    const { github, reads } = repoWith({});
    await expect(loadPolicy(github)).resolves.toEqual({ state: "absent" });
    expect(reads).toEqual(["acme/api:.github/hotfix.yml", "acme/.github:.github/hotfix.yml"]);
  });

  it("reads the repository's own file", async () => {
    const { github } = repoWith({ "acme/api:.github/hotfix.yml": "release:\n  draft: true\n" });
    const load = await loadPolicy(github);
    expect(load.state).toBe("valid");
    if (load.state === "valid") {
      expect(load.policy.release.draft).toBe(true);
      expect(load.files).toEqual(["acme/api:.github/hotfix.yml"]);
    }
  });

  it("falls back to the organisation's .github repository", async () => {
    const { github } = repoWith({
      "acme/.github:.github/hotfix.yml": "release:\n  tag: 'api-v{version}'\n",
    });
    const load = await loadPolicy(github);
    expect(load.state === "valid" && load.policy.release.tag).toBe("api-v{version}");
  });

  it("merges _extends: the repository's keys win, lists are replaced, objects merged", async () => {
    const { github } = repoWith({
      "acme/api:.github/hotfix.yml":
        "_extends: policies:hotfix/base.yml\nhotfix:\n  targets: [main]\n",
      "acme/policies:hotfix/base.yml":
        "hotfix:\n  targets: ['release/*']\n  require_linked_issue: true\nrelease:\n  draft: true\n",
    });
    const load = await loadPolicy(github);
    expect(load.state).toBe("valid");
    if (load.state !== "valid") return;
    expect(load.policy.hotfix.targets).toEqual(["main"]);
    expect(load.policy.hotfix.require_linked_issue).toBe(true);
    expect(load.policy.release.draft).toBe(true);
    expect(load.files).toEqual(["acme/policies:hotfix/base.yml", "acme/api:.github/hotfix.yml"]);
  });

  it("follows _extends to another owner's repository", async () => {
    const { github, reads } = repoWith({
      "acme/api:.github/hotfix.yml": "_extends: platform/.github\n",
      "platform/.github:.github/hotfix.yml": "release:\n  merge_method: rebase\n",
    });
    const load = await loadPolicy(github);
    expect(load.state === "valid" && load.policy.release.merge_method).toBe("rebase");
    expect(reads).toContain("platform/.github:.github/hotfix.yml");
  });

  it("names the extended file and its line when the problem is there", async () => {
    const { github } = repoWith({
      "acme/api:.github/hotfix.yml": "_extends: .github\nrelease:\n  draft: true\n",
      "acme/.github:.github/hotfix.yml": "# org policy\nrelease:\n  merge_method: fast\n",
    });
    const load = await loadPolicy(github);
    expect(load).toMatchObject({
      state: "invalid",
      problems: [
        { file: "acme/.github:.github/hotfix.yml", path: "release.merge_method", line: 3 },
      ],
    });
  });

  it("reports an _extends that names nothing, or goes in a circle", async () => {
    const missing = repoWith({ "acme/api:.github/hotfix.yml": "_extends: nowhere\n" });
    expect(await loadPolicy(missing.github)).toMatchObject({
      state: "invalid",
      problems: [
        { path: "_extends", line: 1, message: expect.stringMatching(/names no readable file/) },
      ],
    });
    const circle = repoWith({
      "acme/api:.github/hotfix.yml": "_extends: b\n",
      "acme/b:.github/hotfix.yml": "_extends: api\n",
    });
    expect(await loadPolicy(circle.github)).toMatchObject({
      state: "invalid",
      problems: [{ message: expect.stringMatching(/circle/) }],
    });
  });

  it("rejects a malformed _extends value", async () => {
    const { github } = repoWith({ "acme/api:.github/hotfix.yml": "_extends: [a, b]\n" });
    expect(await loadPolicy(github)).toMatchObject({
      state: "invalid",
      problems: [{ path: "_extends", message: expect.stringMatching(/owner\/repo/) }],
    });
  });
});
