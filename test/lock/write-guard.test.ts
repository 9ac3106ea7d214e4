import { describe, expect, it } from "@jest/globals";
import { LockLostError, type Lease } from "../../src/lock/hotfix-lock.js";
import { createInProcessLocks } from "../../src/lock/in-process-lock.js";
import { runWithLease } from "../../src/lock/lease-context.js";
import { guardWrites } from "../../src/lock/write-guard.js";

/** A fake Octokit: collects `before request` hooks, and `request` runs them as Octokit would. */
function fakeOctokit() {
  const hooks: Array<(options: { method?: string }) => Promise<void> | void> = [];
  const octokit = {
    hook: { before: (_name: "request", fn: (typeof hooks)[number]) => void hooks.push(fn) },
    async request(method: string | undefined): Promise<string> {
      for (const hook of hooks) await hook({ method });
      return `${method} sent`;
    },
  };
  guardWrites(octokit);
  return octokit;
}

function fakeLease(key: string, held: () => boolean, checks: string[]): Lease {
  return {
    key,
    assertHeld: async () => {
      checks.push(key);
      if (!held()) throw new LockLostError(`${key} was taken over`);
    },
  };
}

describe("the write guard", () => {
  it("checks every lease held here before a write, and none before a read", async () => {
    const octokit = fakeOctokit();
    const checks: string[] = [];
    const a = fakeLease("o/r#1", () => true, checks);
    const b = fakeLease("o/r#2", () => true, checks);
    await runWithLease(a, () =>
      runWithLease(b, async () => {
        await octokit.request("GET");
        await octokit.request("HEAD");
        expect(checks).toEqual([]);
        await octokit.request("POST");
        await octokit.request("delete");
        expect(checks).toEqual(["o/r#1", "o/r#2", "o/r#1", "o/r#2"]);
      }),
    );
  });

  it("rejects writes once any lease is lost, and lets reads through", async () => {
    const octokit = fakeOctokit();
    let held = true;
    const lease = fakeLease("o/r#1", () => held, []);
    await runWithLease(lease, async () => {
      await expect(octokit.request("PUT")).resolves.toBe("PUT sent");
      held = false;
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        await expect(octokit.request(method)).rejects.toBeInstanceOf(LockLostError);
      }
      await expect(octokit.request("GET")).resolves.toBe("GET sent");
      await expect(octokit.request(undefined)).resolves.toBe("undefined sent"); // Octokit's default is GET
    });
  });

  it("lets writes through outside any hold (nothing to check)", async () => {
    const octokit = fakeOctokit();
    await expect(octokit.request("POST")).resolves.toBe("POST sent");
  });

  it("refuses a write from work that outlived its hold", async () => {
    const octokit = fakeOctokit();
    const locks = createInProcessLocks();
    let late: Promise<string> | undefined;
    await locks.hold("o/r#3", async () => {
      await expect(octokit.request("POST")).resolves.toBe("POST sent");
      late = new Promise((resolve) => setTimeout(resolve, 5)).then(() => octokit.request("POST"));
    });
    await expect(late).rejects.toBeInstanceOf(LockLostError);
  });
});
