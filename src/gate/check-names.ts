/** The check runs hotfix-bot writes; their names are what branch protection and rulesets require. */
export const GATE_CHECK_NAME = "Hotfix policy";
export const POLICY_FILE_CHECK_NAME = "Hotfix policy file";
