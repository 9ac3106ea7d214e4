/**
 * Every command hotfix-bot answers, in one place. The release command's name comes from the
 * policy (`release.command`, default `/release-hotfix`); the others are fixed.
 */
export const BACKPORT_COMMAND = "/backport";
export const PROMOTE_COMMAND = "/promote-hotfix";
export const ROLLBACK_COMMAND = "/rollback-hotfix";
