import { startGitHubSandbox } from "../sandbox/github/index.js";
import { seedSample } from "../sandbox/harness/e2e.js";
import { TestOctokit } from "../sandbox/harness/test-octokit.js";
import { benchStartup } from "./startup.js";
const sandbox = await startGitHubSandbox({ webhook: { url: "http://127.0.0.1:9/unset", secret: "x" } });
await seedSample(sandbox, new TestOctokit({ auth: "admin-token", baseUrl: sandbox.url }));
console.log(JSON.stringify(await benchStartup(sandbox.url, 3), null, 1));
await sandbox.close();
