/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  testTimeout: 30000,
  // Test files run in a worker process that is replaced once it holds more than this after a
  // file: ESM test modules are never unloaded, so one process running every file in turn grows
  // past V8's default heap limit (the whole suite reached 3.9 GB and aborted). With this set,
  // Jest never runs the files in its own process (https://jestjs.io/docs/configuration#workeridlememorylimit-numberstring).
  workerIdleMemoryLimit: "1GB",
};
