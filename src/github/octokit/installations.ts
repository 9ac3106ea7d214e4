/**
 * The repositories this app is installed on, each with a GitHub port authenticated as its
 * installation: what a scheduled job (the deploy sweep) needs, outside any webhook delivery.
 * Authenticating as the app takes APP_ID and the private key; Probot caches installation
 * tokens, so a port per repository costs no extra token request.
 */
import type { Probot } from "probot";
import type { GitHubPort, RepoRef } from "../port.js";
import { createGitHubPort } from "../octokit-port.js";
import { send } from "./send.js";
import type { Octokit } from "./types.js";
import { guardWrites } from "../../lock/write-guard.js";
import { conditionalRequests, type HttpCache } from "./conditional-requests.js";

export interface InstalledRepository {
  github: GitHubPort;
  repo: RepoRef;
  /** `https://github.com/owner/repo` (or the Enterprise host's). */
  htmlUrl: string;
}

export type RepositoryVisitor = (installed: InstalledRepository) => Promise<void>;

/** Visits every repository of every installation, or only `only` (each must have the app). */
export async function forEachInstalledRepository(
  probot: Probot,
  only: readonly RepoRef[] | null,
  visit: RepositoryVisitor,
  options: { httpCache?: HttpCache | null } = {},
): Promise<void> {
  const app = (await probot.auth()) as unknown as Octokit;
  // Writes made in a sweep step need the hotfix's lock too (src/lock/write-guard.ts); reads are
  // conditional when the app's cache is at hand (the sweep route, run every few minutes).
  const asInstallation = async (id: number) => {
    const octokit = (await probot.auth(id)) as unknown as Octokit;
    guardWrites(octokit);
    if (options.httpCache) conditionalRequests(octokit, options.httpCache, String(id));
    return octokit;
  };

  if (only) {
    for (const repo of only) {
      const { data: installation } = await send("GET /repos/{owner}/{repo}/installation", () =>
        app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo }),
      );
      const octokit = await asInstallation(installation.id);
      const { data } = await send("GET /repos/{owner}/{repo}", () =>
        octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo }),
      );
      await visit({
        github: createGitHubPort(octokit, repo),
        repo,
        htmlUrl: data.html_url,
      });
    }
    return;
  }

  const installations = await send("GET /app/installations", () =>
    app.paginate(app.rest.apps.listInstallations, { per_page: 100 }),
  );
  for (const installation of installations) {
    const lister = await asInstallation(installation.id);
    const repositories = await send("GET /installation/repositories", () =>
      lister.paginate(lister.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }),
    );
    for (const r of repositories) {
      const repo = { owner: r.owner.login, repo: r.name };
      // A port counts requests through a hook on its Octokit: one Octokit per repository.
      await visit({
        github: createGitHubPort(await asInstallation(installation.id), repo),
        repo,
        htmlUrl: r.html_url,
      });
    }
  }
}
