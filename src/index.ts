import { createApp } from "./app.js";
import { configFromEnv } from "./config.js";
import { drain } from "./events/answer-within.js";

/**
 * The entry `probot run` loads (`npm start`, the Docker image). Configuration comes from the
 * environment only.
 */
export default createApp(configFromEnv(process.env));

/**
 * On SIGTERM (`docker stop`, a rolling deploy) let work that outlived its webhook answer end
 * first, within Docker's default 10 s grace period. Work cut anyway is resumed by a redelivery,
 * a re-run or the repeated command: every step reads GitHub before it writes.
 */
const DRAIN_MS = 8_000;
process.once("SIGTERM", () => {
  void drain(DRAIN_MS).then((left) => {
    if (left > 0) console.error(`hotfix-bot: stopping with ${left} deliveries unfinished`);
    process.exit(0);
  });
});
