import { describe, expect, it } from "@jest/globals";
import { createLocks } from "../../src/lock/create-locks.js";

describe("createLocks", () => {
  it("uses Redis when REDIS_URL is set", async () => {
    // lazyConnect: nothing is dialled until a hold, so no server is needed to tell the kind.
    const locks = createLocks({ REDIS_URL: "redis://127.0.0.1:1" });
    expect(locks.kind).toBe("redis");
    await locks.close();
  });

  it.each([{}, { REDIS_URL: "" }, { REDIS_URL: "  " }])(
    "stays in this process with %j",
    async (env) => {
      const locks = createLocks(env);
      expect(locks.kind).toBe("in-process");
      await locks.close();
    },
  );
});
