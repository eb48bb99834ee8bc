export * from "./release-plan.js";
export * from "./resolve-version.js";
export * from "./plan-version-files.js";
export * from "./plan-changelog.js";
export * from "./build-release-plan.js";
export * from "./release-pr-body.js";
