export * from "./parse-changelog.js";
export * from "./release-unreleased.js";
export * from "./compare-links.js";
export * from "./generate-notes.js";
export * from "./render-release-notes.js";
export * from "./read-unreleased.js";
export * from "./changelog-style.js";
export * from "./dependency-updates.js";
