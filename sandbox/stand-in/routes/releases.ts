/**
 * Releases: list (drafts included, newest first), get by tag (published only — a draft has no
 * tag yet), latest, create (422 `already_exists` when the tag has a release; a published
 * release whose tag does not exist yet creates it at `target_commitish`), and the branch list.
 */
import { HttpError, notFound, type RouteModule } from "../router.js";
import {
  bodyOf,
  callerOf,
  numberParam,
  optionalString,
  paged,
  REPO,
  repoOf,
  requiredString,
} from "./common.js";

export const releasesRoutes: RouteModule = (router, world) => {
  const hub = world.hub;

  router.get(`${REPO}/releases`, (context) => {
    const repo = repoOf(world, context);
    return paged(
      context,
      repo.releases.map((r) => hub.releaseJson(context.apiUrl, repo, r)),
    );
  });

  router.get(`${REPO}/releases/tags/{tag+}`, (context) => {
    const repo = repoOf(world, context);
    const release = repo.releases.find((r) => r.tagName === context.params.tag && !r.draft);
    if (!release) throw notFound();
    return { status: 200, body: hub.releaseJson(context.apiUrl, repo, release) };
  });

  router.get(`${REPO}/releases/latest`, (context) => {
    const repo = repoOf(world, context);
    const release = repo.releases.find((r) => r.tagName === repo.latestRelease && !r.draft);
    if (!release) throw notFound();
    return { status: 200, body: hub.releaseJson(context.apiUrl, repo, release) };
  });

  router.get(`${REPO}/releases/{release_id}`, (context) => {
    const repo = repoOf(world, context);
    const release = repo.releases.find((r) => r.id === numberParam(context, "release_id"));
    if (!release) throw notFound();
    return { status: 200, body: hub.releaseJson(context.apiUrl, repo, release) };
  });

  router.post(`${REPO}/releases`, async (context) => {
    const repo = repoOf(world, context);
    const body = bodyOf(context);
    const makeLatest = optionalString(body, "make_latest");
    if (makeLatest !== undefined && !["true", "false", "legacy"].includes(makeLatest)) {
      throw new HttpError(
        422,
        `Invalid request.\n\n${makeLatest} is not a member of ["true", "false", "legacy"].`,
      );
    }
    const target = optionalString(body, "target_commitish");
    const release = await hub.createRelease(
      repo,
      {
        tagName: requiredString(body, "tag_name"),
        ...(target === undefined ? {} : { targetCommitish: target }),
        name: optionalString(body, "name") ?? null,
        body: optionalString(body, "body") ?? null,
        draft: body.draft === true,
        prerelease: body.prerelease === true,
        ...(makeLatest === undefined ? {} : { makeLatest }),
      },
      callerOf(world, context),
    );
    return {
      status: 201,
      headers: {
        location: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/releases/${release.id}`,
      },
      body: hub.releaseJson(context.apiUrl, repo, release),
    };
  });

  router.get(`${REPO}/branches`, async (context) => {
    const repo = repoOf(world, context);
    const refs = await repo.git.listRefs("refs/heads/");
    const branches = refs.map((r) => ({
      name: r.ref.slice("refs/heads/".length),
      commit: {
        sha: r.sha,
        url: `${context.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${r.sha}`,
      },
      protected: false,
    }));
    // No branch of the stand-in is protected.
    return paged(context, context.query.get("protected") === "true" ? [] : branches);
  });
};
