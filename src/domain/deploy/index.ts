export * from "./workload.js";
export * from "./evaluate-rollout-status.js";
export * from "./build-rollback.js";
export * from "./find-last-good-revision.js";
export * from "./build-image-patch.js";
export * from "./build-canary-plan.js";
