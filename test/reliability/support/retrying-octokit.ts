import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import type { TestOctokit } from "../../../sandbox/harness/test-octokit.js";

type Options = Record<string, unknown> & { retry?: object; throttle?: object };

// The throttling plugin's own limiter groups (one write per second, one notifying write per
// three seconds, ...), with the same shape and each interval read as milliseconds.
const scaledGroups = {
  global: new Bottleneck.Group({ maxConcurrent: 10 }),
  auth: new Bottleneck.Group({ maxConcurrent: 1 }),
  search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2 }),
  write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1 }),
  notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 }),
};

/**
 * The Octokit the app runs with in production (Probot's retry and throttling plugins, with
 * Probot's own rate-limit callbacks), only with every wait scaled from seconds to
 * milliseconds, so that "retried after 4 s" takes 4 ms and a test can wait for the end.
 */
export const RetryingOctokit = ProbotOctokit.defaults((options: Options) => ({
  ...options,
  retry: { ...options.retry, retryAfterBaseValue: 1 },
  throttle: { ...options.throttle, ...scaledGroups, retryAfterBaseValue: 1 },
})) as typeof TestOctokit;
