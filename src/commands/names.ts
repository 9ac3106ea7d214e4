/**
 * Every command hotfix-bot answers, in one place. The release command's name comes from the
 * policy (`release.command`, default `/release-hotfix`); the others are fixed.
 */
/** `release.command`'s default; a policy may name the release command otherwise. */
export const DEFAULT_RELEASE_COMMAND = "/release-hotfix";
export const BACKPORT_COMMAND = "/backport";
export const PROMOTE_COMMAND = "/promote-hotfix";
export const ROLLBACK_COMMAND = "/rollback-hotfix";
