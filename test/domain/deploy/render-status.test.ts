import { describe, expect, it } from "@jest/globals";
import { renderPostMortem, renderPostMortemTitle } from "../../../src/domain/deploy/render-post-mortem.js";
import { renderStatus } from "../../../src/domain/deploy/render-status.js";

describe("renderStatus", () => {
  it("renders one table per environment with lock, last deploy, work in flight and canaries", () => {
    const text = renderStatus([
      {
        env: "production",
        namespace: "ml-production",
        lock: {
          env: "production",
          holder: "oncall",
          reason: "freeze",
          since: "2026-01-01T00:00:00Z",
          kind: "manual",
        },
        lockAge: "for 2 h 5 min",
        lastSuccess: {
          id: 5,
          version: "1.2.0",
          action: "deploy",
          state: "success",
          actor: "maintainer",
          at: "2026-01-01T00:00:00Z",
        },
        inFlight: [
          { id: 6, version: "1.3.0", action: "deploy", state: "in_progress", actor: "dev", at: "t" },
        ],
        services: [
          {
            deployment: "bankchurn",
            image: "b:1.2.0",
            version: "1.2.0",
            revision: 3,
            ready: 2,
            desired: 2,
            rollout: "done",
            canary: { image: "b:1.3.0", replicas: 1 },
          },
          {
            deployment: "telecom",
            image: "t:1.1.0",
            version: "1.1.0",
            revision: 1,
            ready: 1,
            desired: 2,
            rollout: "progressing",
            canary: { image: "t:1.1.0", replicas: 0 },
          },
        ],
      },
    ]);
    expect(text).toContain("### `production` (namespace `ml-production`)");
    expect(text).toContain(
      "🔒 Locked by @oncall since `2026-01-01T00:00:00Z` (for 2 h 5 min, manual lock): `freeze`",
    );
    expect(text).not.toContain("stale");
    expect(text).toContain("Last successful deploy: **1.2.0** (deploy, deployment 5) by @maintainer");
    expect(text).toContain("In flight: **1.3.0** (deploy, deployment 6, in_progress) by @dev");
    expect(text).toContain("| `bankchurn` | 1.2.0 | `b:1.2.0` | 3 | 2/2 | ✅ done | `b:1.3.0` × 1 |");
    expect(text).toContain("| `telecom` | 1.1.0 | `t:1.1.0` | 1 | 1/2 | ⏳ progressing | — |");
  });

  it("says when the cluster could not be read, and when nothing is configured", () => {
    const text = renderStatus([
      {
        env: "staging",
        namespace: "ml",
        lock: undefined,
        lastSuccess: undefined,
        inFlight: [],
        services: [],
        clusterError: "boom",
      },
    ]);
    expect(text).toContain("🔓 Not locked");
    expect(text).toContain("⚠️ Could not read the cluster: boom");
    expect(text).not.toContain("| Service |");
    expect(renderStatus([])).toContain("No environments are configured");
  });
});

describe("renderPostMortem", () => {
  it("prefills summary, cause, timeline and links", () => {
    const input = {
      env: "staging",
      fromVersion: "1.3.0",
      toVersion: "1.2.0",
      trigger: "automatic" as const,
      actor: "dev",
      cause: 'deployment "bankchurn" exceeded its progress deadline',
      timeline: [
        { at: "2026-01-01T00:00:01Z", text: "set image `bankchurn=b:1.3.0` on `bankchurn`" },
        { at: "2026-01-01T00:00:09Z", text: "`bankchurn` rolled back to revision 2 (`b:1.2.0`)" },
      ],
      links: [{ title: "command thread", url: "https://github.com/o/r/issues/7" }],
    };
    expect(renderPostMortemTitle(input)).toBe("Post-mortem: staging rolled back from 1.3.0 to 1.2.0");
    const body = renderPostMortem(input);
    expect(body).toContain("(automatic rollback, started by @dev)");
    expect(body).toContain(
      '**Cause as seen by release-pilot:** deployment "bankchurn" exceeded its progress deadline',
    );
    expect(body).toContain("- `2026-01-01T00:00:01Z` set image `bankchurn=b:1.3.0` on `bankchurn`");
    expect(body).toContain("- [command thread](https://github.com/o/r/issues/7)");
    expect(body).toContain("- [ ] Root cause");
  });
});
