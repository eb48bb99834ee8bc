// Shared test helpers: an Octokit like the app's, without retries or throttling.
import { ProbotOctokit } from "probot";

const Quiet = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));

export function octokitFor(url: string): InstanceType<typeof ProbotOctokit> {
  return new Quiet({ auth: { token: "x" }, baseUrl: url }) as InstanceType<typeof ProbotOctokit>;
}
