/**
 * A busy repository, as a new user's would be: ordinary PRs (each pushed to 3 times; per push 6
 * CI jobs, 2 commit statuses, a review and a comment) and one hotfix PR beside them, whose CI
 * and approvals re-evaluate its gate. Every delivery goes to the app (in this process, answering
 * after its work) one at a time; its cost is the app's own count in its log line — requests
 * *sent*, and requests *counted* by GitHub against the installation's limit (all but the
 * conditional requests answered 304).
 *
 * The policy requires `build` and `test (*)`: two of the six CI jobs are required checks, as in
 * a real repository, so ordinary PRs' required checks must be judged cheaply too.
 */
import { unpaced } from "../src/backport/pace-writes.js";
import { newAppCredentials, settle, startAppInProcess } from "../sandbox/app-host.js";
import { OWNER, PEOPLE, POLICY, seedDemo } from "../sandbox/demo-repo.js";
import { startStandIn } from "../sandbox/stand-in/server.js";
import type { KnownLabels } from "../src/memory/known-labels.js";

export interface BusyFigures {
  ordinaryPulls: number;
  ordinary: { deliveries: number; sent: number; counted: number };
  hotfix: { deliveries: number; sent: number; counted: number };
}

const JOBS = ["build", "test (unit)", "test (integration)", "lint", "typecheck", "e2e"];
const STATUSES = ["coverage/codecov", "license/cla"];
const BUSY_POLICY = POLICY.replace('required: ["build"]', 'required: ["build", "test (*)"]');

interface Line {
  delivery?: string;
  requests?: number;
  counted?: number;
  decision?: string;
}

/** A payload memory that never remembers: every PR is read (for the "without" figures). */
const forgetful: KnownLabels = {
  kind: "off",
  get: async () => null,
  learn: async () => {},
  close: async () => {},
};

export async function busyRepository(
  options: { ordinaryPulls?: number; pushes?: number; savings?: boolean } = {},
): Promise<BusyFigures> {
  const { ordinaryPulls = 20, pushes = 3, savings = true } = options;
  const standIn = await startStandIn();
  const demo = await seedDemo(standIn, { policy: BUSY_POLICY });
  const lines: Line[] = [];
  const app = await startAppInProcess(standIn, newAppCredentials(OWNER), {
    config: {
      backportPacer: unpaced,
      ...(savings ? {} : { httpCache: null, knownLabels: forgetful }),
    },
    onLog: (line) => lines.push(line as Line),
  });
  const { repo } = demo;
  const figures: BusyFigures = {
    ordinaryPulls,
    ordinary: { deliveries: 0, sent: 0, counted: 0 },
    hotfix: { deliveries: 0, sent: 0, counted: 0 },
  };

  /** Does `act`, waits for the app, and adds the deliveries it caused to `kind`. */
  const step = async (kind: "ordinary" | "hotfix" | null, act: () => unknown) => {
    await settle(standIn, app);
    const from = standIn.webhooks.deliveries.length;
    await act();
    await settle(standIn, app);
    if (!kind) return;
    for (const delivery of standIn.webhooks.deliveries.slice(from)) {
      const line = lines.find(
        (l) => l.delivery === delivery.id && l.decision !== "answered; work continues",
      );
      if (!line) continue; // an event the app does not subscribe to
      // Of the hotfix's deliveries, those that re-evaluated its gate (a CI job that is not a
      // required check is no re-evaluation: it is skipped, like an ordinary one).
      if (kind === "hotfix" && !/#\d+ hotfix \(/.test(line.decision ?? "")) continue;
      figures[kind].deliveries++;
      figures[kind].sent += line.requests ?? 0;
      figures[kind].counted += line.counted ?? 0;
    }
  };

  const ci = async (sha: string, kind: "ordinary" | "hotfix") => {
    for (const job of JOBS) await step(kind, () => repo.check(sha, job, "success"));
    for (const context of STATUSES)
      await step(kind, () => repo.setStatus("acme-ci[bot]", sha, context, "success"));
  };

  try {
    // The hotfix PR, approved on its first head (it is then re-evaluated by what follows).
    const hotfixBranch = "hotfix/checkout-timeout";
    await step(null, () =>
      repo.push(
        hotfixBranch,
        { "src/checkout.ts": "// fix\n" },
        "Fix checkout timeout",
        PEOPLE.dev,
        {
          from: "release/1.4",
        },
      ),
    );
    let hotfixPr = 0;
    await step(null, async () => {
      hotfixPr = (
        await repo.openPull(PEOPLE.dev, {
          head: hotfixBranch,
          base: "release/1.4",
          title: "Fix checkout timeout",
          body: "Fixes #1",
        })
      ).number;
    });

    const ordinary: number[] = [];
    for (let p = 1; p <= ordinaryPulls; p++) {
      const branch = `feature/item-${p}`;
      for (let push = 1; push <= pushes; push++) {
        await step("ordinary", () =>
          repo.push(
            branch,
            { [`src/item-${p}.ts`]: `// ${push}\n` },
            `Item ${p}, part ${push}`,
            PEOPLE.dev,
            {
              ...(push === 1 ? { from: "main" } : {}),
            },
          ),
        );
        if (push === 1) {
          await step("ordinary", async () => {
            ordinary.push(
              (await repo.openPull(PEOPLE.dev, { head: branch, base: "main", title: `Item ${p}` }))
                .number,
            );
          });
        }
        const pr = ordinary[ordinary.length - 1] as number;
        await ci(await repo.headOf(branch), "ordinary");
        await step("ordinary", () => repo.review(PEOPLE.captain, pr, "COMMENTED", "A question."));
        await step("ordinary", () => repo.comment(PEOPLE.dev, pr, "Answered in the last push."));
      }
      // Beside them, the hotfix's own life: CI on its head, then QA and Ops approving.
      if (p === Math.ceil(ordinaryPulls / 3)) await ci(await repo.headOf(hotfixBranch), "hotfix");
      if (p === Math.ceil((2 * ordinaryPulls) / 3))
        await step("hotfix", () => repo.review(PEOPLE.qa, hotfixPr, "APPROVED"));
    }
    await step("hotfix", () => repo.review(PEOPLE.ops, hotfixPr, "APPROVED"));
    return figures;
  } finally {
    await app.close();
    await standIn.close();
  }
}
