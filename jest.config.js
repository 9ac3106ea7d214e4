/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  // A guard against a hang, not a measure of speed: the end-to-end tests run real processes
  // and git, and a loaded 2-core machine (seen: load average 16) makes them several times slower.
  testTimeout: 60000,
  // Rebuilds lib/ when src/ is newer: the end-to-end tests run `probot run ./lib/index.js`.
  globalSetup: "<rootDir>/test/global-setup.mjs",
  // Jest's default on a 2-core machine is one worker; the end-to-end files wait mostly on git
  // and loopback HTTP, so two workers take ~80 s instead of ~135 s. Tests pick free ports.
  maxWorkers: 2,
};
