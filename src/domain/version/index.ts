export * from "./parse-error.js";
export * from "./version.js";
export * from "./conventional-commit.js";
export * from "./decide-bump.js";
export * from "./ref-name.js";
export * from "./tag-name.js";
export * from "./release-branch-name.js";
export * from "./hotfix-branch-name.js";
