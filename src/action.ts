import { createApp } from "./app.js";
import { runAction } from "./runtime/run-action.js";

/** The GitHub Action entry (`action.yml` runs `node lib/action.js`). */
process.exitCode = await runAction(process.env, createApp);
