import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

jest.setTimeout(180_000);

// The app's service account may patch in ml-staging only, as a RoleBinding in that namespace
// grants (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding).
const APP_TOKEN = "release-pilot-token";
const APP_USER = "system:serviceaccount:release-pilot:release-pilot";

describe("a deploy the cluster's RBAC refuses, through the real app", () => {
  let e2e: EndToEnd;
  const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
  const say = async (user: string, body: string): Promise<string[]> => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: body });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    await e2e.settle();
    return e2e.repliesTo(issue, user);
  };

  beforeAll(async () => {
    e2e = await startEndToEnd({
      kubernetes: true,
      clusterAuth: {
        appToken: APP_TOKEN,
        tokens: {
          [APP_TOKEN]: {
            user: APP_USER,
            // Production may be read (the app records what runs before changing it), not patched.
            namespaces: {
              "ml-staging": ["get", "list", "watch", "patch", "update"],
              "ml-production": ["get", "list", "watch"],
            },
          },
        },
      },
    });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("deploys to staging, where the token's role allows it", async () => {
    const replies = await say("developer", "/deploy staging 1.2.0");
    expect(replies.at(-1)).toContain("✅ Deploy of **1.2.0** to `staging` succeeded");
    expect(
      e2e.cluster?.getDeployment("ml-staging", "bankchurn")?.spec.template.spec.containers[0]?.image,
    ).toBe("ghcr.io/duqueom/bankchurn-api:1.2.0");
    // The app's kubeconfig carried the token: its reads, patches and watches were let through.
    expect(e2e.cluster?.requests.some((r) => r.method === "PATCH" && r.path.includes("/ml-staging/"))).toBe(
      true,
    );
  });

  it("reports production's 403 as a permission to grant in ml-production, and patches nothing there", async () => {
    const before = ["bankchurn", "carvision", "telecom"].map((n) =>
      e2e.cluster?.getDeployment("ml-production", n),
    );
    const sent = e2e.cluster?.requests.length ?? 0;
    const replies = await say("maintainer", "/deploy production 1.2.0");
    const last = replies.at(-1) ?? "";
    expect(last).toContain("Kubernetes");
    expect(last).toContain("ml-production");
    expect(last).toContain(
      "Kubernetes refused release-pilot permission: give the app's role `patch` on deployments in the namespace `ml-production`",
    );
    expect(last).not.toMatch(/rollout failed|rolled back/i);
    expect(
      ["bankchurn", "carvision", "telecom"].map((n) => e2e.cluster?.getDeployment("ml-production", n)),
    ).toEqual(before);
    // The app tried, and the cluster refused it: no production write went through.
    const prod =
      e2e.cluster?.requests.slice(sent).filter((r) => r.path.includes("/namespaces/ml-production/")) ?? [];
    expect(prod.some((r) => r.method === "PATCH")).toBe(true);
  });
});
