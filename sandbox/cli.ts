import { SAMPLE_REPO } from "./sample/sample-repo.js";
import { seedSample } from "./harness/e2e.js";
import { TestOctokit } from "./harness/test-octokit.js";
import { startGitHubSandbox } from "./github/index.js";
import { startFakeCluster } from "./kubernetes/index.js";

/**
 * `npm run sandbox`: the sandbox GitHub (with the sample monorepo) and the fake Kubernetes API
 * server, for a person to poke at with curl, kubectl or a browser. Runs until stopped.
 * Webhooks go to WEBHOOK_URL when set (with WEBHOOK_SECRET), else nowhere.
 */
const webhook = process.env.WEBHOOK_URL
  ? { url: process.env.WEBHOOK_URL, secret: process.env.WEBHOOK_SECRET ?? "development" }
  : undefined;
const github = await startGitHubSandbox(webhook ? { webhook } : {});
await seedSample(github, new TestOctokit({ auth: "sandbox", baseUrl: github.url }));
const kubernetes = await startFakeCluster();
for (const name of ["bankchurn", "carvision", "telecom"]) {
  await kubernetes.addDeployment({
    namespace: "ml-staging",
    name,
    image: `ghcr.io/duqueom/${name === "telecom" ? "telecom" : name}-api:1.1.0`,
    replicas: 2,
  });
}
console.log(`github: ${github.url}`);
console.log(`kubernetes: ${kubernetes.url}`);
console.log(`repository: ${SAMPLE_REPO} (try: curl ${github.url}/repos/${SAMPLE_REPO}/branches/develop)`);
console.log(`kubectl: kubectl --server ${kubernetes.url} -n ml-staging get deployments`);

const stop = async () => {
  await kubernetes.close();
  await github.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
