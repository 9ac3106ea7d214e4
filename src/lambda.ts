import { createProbot } from "probot";
import { createApp } from "./app.js";
import { configFromEnv } from "./config.js";
import { runSweep } from "./cli/sweep.js";
import { createLambdaHandler } from "./runtime/lambda-handler.js";

/**
 * The AWS Lambda entries. Configuration from the environment only, as for the server; logs
 * default to JSON at info level (CloudWatch), overridable by LOG_FORMAT and LOG_LEVEL.
 */
const env: NodeJS.ProcessEnv = { LOG_FORMAT: "json", LOG_LEVEL: "info", ...process.env };
const probot = createProbot({ env });
// The work is awaited before answering: Lambda freezes whatever runs after the answer.
const app = createApp({ ...configFromEnv(env), answerWithinMs: Infinity });

/** `lib/lambda.handler`: webhooks, behind a function URL or API Gateway. */
export const handler = createLambdaHandler(probot, probot.load(app));

/**
 * `lib/lambda.sweep`: the target of an EventBridge schedule (every few minutes), closing
 * monitoring windows no event arrives for — what `hotfix-bot sweep` does elsewhere. A failed
 * sweep throws, so Lambda counts it as an error and retries.
 */
export async function sweep(): Promise<{ exitCode: number }> {
  const exitCode = await runSweep(
    [],
    { out: (line) => probot.log.info(line), err: (line) => probot.log.error(line) },
    { env, probot: () => probot },
  );
  if (exitCode !== 0) throw new Error(`hotfix-bot sweep ended with exit code ${exitCode}`);
  return { exitCode };
}
