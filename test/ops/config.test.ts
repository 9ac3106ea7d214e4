import { describe, expect, it } from "@jest/globals";
import { configFromEnv } from "../../src/config.js";

const base = { APP_ID: "123", WEBHOOK_SECRET: "a-real-secret" };

describe("configuration from the environment", () => {
  it("reads the app id, answer budget and metrics token", () => {
    expect(configFromEnv({ ...base, HOTFIX_ANSWER_WITHIN_MS: "2500", METRICS_TOKEN: "m" })).toEqual(
      { appId: 123, answerWithinMs: 2500, metricsToken: "m" },
    );
    expect(configFromEnv(base)).toEqual({ appId: 123 });
  });

  it("reads the HTTP cache's size in megabytes; 0 switches it off", () => {
    expect(configFromEnv({ ...base, HOTFIX_HTTP_CACHE_MB: "8" }).httpCacheBytes).toBe(8 * 2 ** 20);
    expect(configFromEnv({ ...base, HOTFIX_HTTP_CACHE_MB: "0" }).httpCacheBytes).toBe(0);
    expect(configFromEnv({ ...base, HOTFIX_HTTP_CACHE_MB: "" }).httpCacheBytes).toBeUndefined();
  });

  it.each([
    ["no webhook secret", { WEBHOOK_SECRET: undefined }, /WEBHOOK_SECRET is not set/],
    ["an empty webhook secret", { WEBHOOK_SECRET: "" }, /WEBHOOK_SECRET is not set/],
    [
      "Probot's public default secret",
      { WEBHOOK_SECRET: "development" },
      /WEBHOOK_SECRET is Probot's public default "development"/,
    ],
    ["a budget past GitHub's limit", { HOTFIX_ANSWER_WITHIN_MS: "10000" }, /from 0 to 9000/],
    ["a budget that is not a number", { HOTFIX_ANSWER_WITHIN_MS: "5s" }, /got "5s"/],
    [
      "a cache size with a unit",
      { HOTFIX_HTTP_CACHE_MB: "50MB" },
      /HOTFIX_HTTP_CACHE_MB .*got "50MB"/,
    ],
    ["a negative cache size", { HOTFIX_HTTP_CACHE_MB: "-1" }, /from 0 \(no cache\) to 4096/],
  ])("refuses to start with %s", (_name, change, message) => {
    expect(() => configFromEnv({ ...base, ...change })).toThrow(message);
  });
});
