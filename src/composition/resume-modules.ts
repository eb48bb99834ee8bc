/**
 * What the start's resume pass runs before it knows there is anything to resume: the installed
 * repositories, the config (read and parsed once per repository), the survey's light reads
 * (src/adapters/github/github-resume-survey.ts) and the three resumes, each of which imports its
 * use-cases, and build-repo-ports.ts its adapters, only when it finds work. One module that
 * resume-installed-repos.ts imports when the pass runs, after the server listens: one dynamic
 * import links the graph once.
 */
export { listInstalledRepos } from "../adapters/github/deploy-installations.js";
export { createResumeSurvey } from "../adapters/github/github-resume-survey.js";
export { FileCache } from "../adapters/github/read-repo-file.js";
export { endpointFor } from "../config/operator-settings.js";
export { resumeOnStart } from "../use-cases/deploy/resume-on-start.js";
export { forEachConfiguredRepo } from "../use-cases/resume-repo.js";
export { resumeShipments } from "../use-cases/ship/resume-shipments.js";
export { resumeChecklists } from "../use-cases/checklist/resume-checklists.js";
