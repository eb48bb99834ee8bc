/**
 * Everything the start's resume pass runs (the deploy, ship and checklist resumes, the config
 * schema, every GitHub adapter), in one module that resume-installed-repos.ts imports when the
 * pass runs, after the server listens. One dynamic import links the whole graph once.
 */
export { listInstalledRepos } from "../adapters/github/deploy-installations.js";
export { FileCache } from "../adapters/github/read-repo-file.js";
export { resumeOnStart } from "../use-cases/deploy/resume-on-start.js";
export { resumeShipments } from "../use-cases/ship/resume-shipments.js";
export { resumeChecklists } from "../use-cases/checklist/resume-checklists.js";
export { repoPorts } from "./build-repo-ports.js";
