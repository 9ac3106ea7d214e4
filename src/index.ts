import { createApp } from "./app.js";

/** The entry `probot run` loads. Configuration comes from the environment only. */
const appId = Number(process.env.APP_ID);
export default createApp({ appId: Number.isInteger(appId) && appId > 0 ? appId : null });
