/**
 * Scenario helpers about the hotfix record: the record derived from the stand-in's state at the
 * end of a run, rendered, next to the tracking comment the app left — they must be equal, word
 * for word — and a deployer that reports on every deployment hotfix-bot creates at once.
 */
import { randomBytes } from "node:crypto";
import { ProbotOctokit } from "probot";
import { createGitHubPort } from "../../src/github/octokit-port.js";
import { loadPolicy } from "../../src/policy/load.js";
import { deriveRecord } from "../../src/record/derive.js";
import { renderRecord, isTrackingComment } from "../../src/record/render.js";
import { hotfixRecordSchema } from "../../src/record/schema.js";
import type { Demo } from "../../sandbox/demo-repo.js";
import { PEOPLE } from "../../sandbox/demo-repo.js";
import type { StandIn } from "../../sandbox/stand-in/server.js";

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** The PR's tracking comments as GitHub holds them, and the record's rendering derived now. */
export async function commentAndRecord(
  standIn: StandIn,
  demo: Demo,
  pr: number,
  installationId: number,
  appId: number,
): Promise<{ comments: string[]; rendered: string }> {
  const token = `ghs_${randomBytes(18).toString("base64url")}`;
  standIn.hub.tokens.set(token, { installationId, expiresAt: Date.now() + 3_600_000 });
  const octokit = new Octokit({ baseUrl: standIn.enterpriseUrl, auth: { token } });
  const github = createGitHubPort(octokit, { owner: demo.repo.owner, repo: demo.repo.name });
  const load = await loadPolicy(github);
  if (load.state !== "valid") throw new Error(`the demo's policy is ${load.state}`);
  const { record } = await deriveRecord(
    { github, policy: load.policy, now: new Date(), ownAppId: appId },
    pr,
  );
  // What derivation builds is what the one schema describes.
  hotfixRecordSchema.parse(record);
  const comments = [...demo.repo.state.comments.values()]
    .filter((c) => c.issue === pr && c.user === standIn.hub.botLogin() && isTrackingComment(c.body))
    .map((c) => c.body);
  return { comments, rendered: renderRecord(record) };
}

/**
 * A deployer that acts on every deployment at once: in progress, then success, right after
 * GitHub announces it — so its statuses arrive while the release's backports still run.
 */
export function quickDeployer(standIn: StandIn, demo: Demo): () => void {
  return standIn.hub.onWebhook((event) => {
    if (event.name !== "deployment") return;
    const id = (event.payload.deployment as { id: number }).id;
    setImmediate(() => {
      demo.repo.reportDeployment(PEOPLE.deployer, id, "in_progress");
      demo.repo.reportDeployment(PEOPLE.deployer, id, "success", {
        logUrl: `https://deploy.acme.example/runs/${id}`,
      });
    });
  });
}
