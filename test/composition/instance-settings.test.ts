import { describe, expect, it } from "@jest/globals";
import { instanceSettingsFromEnv } from "../../src/composition/instance-settings.js";
import { JobTracker } from "../../src/adapters/jobs/job-tracker.js";

const host = () => "node-host";

describe("the instance's name and hand-over timing, from its environment", () => {
  it("names the instance after RELEASE_PILOT_INSTANCE, else the pod (HOSTNAME), else the host; never the pid", () => {
    expect(
      instanceSettingsFromEnv({ RELEASE_PILOT_INSTANCE: "rp-1", HOSTNAME: "pod-x" }, host).instance,
    ).toBe("rp-1");
    expect(instanceSettingsFromEnv({ HOSTNAME: "release-pilot-7d9f-abcde" }, host).instance).toBe(
      "release-pilot-7d9f-abcde",
    );
    expect(instanceSettingsFromEnv({ RELEASE_PILOT_INSTANCE: " ", HOSTNAME: "" }, host).instance).toBe(
      "node-host",
    );
    expect(instanceSettingsFromEnv({}, host).instance).not.toContain(String(process.pid));
  });

  it("defaults to a 60 s claim margin, a look every 15 s and 20 s of grace; reads seconds, fractions included", () => {
    expect(instanceSettingsFromEnv({}, host)).toEqual({
      instance: "node-host",
      claimMarginSeconds: 60,
      claimRecheckMs: 15_000,
      shutdownGraceMs: 20_000,
    });
    const set = instanceSettingsFromEnv(
      {
        RELEASE_PILOT_CLAIM_MARGIN_SECONDS: "0",
        RELEASE_PILOT_CLAIM_RECHECK_SECONDS: "0.2",
        RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS: "5",
      },
      host,
    );
    expect(set).toMatchObject({ claimMarginSeconds: 0, claimRecheckMs: 200, shutdownGraceMs: 5_000 });
    expect(
      instanceSettingsFromEnv({ RELEASE_PILOT_SHUTDOWN_GRACE_SECONDS: "soon" }, host).shutdownGraceMs,
    ).toBe(20_000);
  });
});

describe("the job tracker on stop", () => {
  it("waits for running jobs at most the grace period and names those still running", async () => {
    const jobs = new JobTracker();
    let release: () => void = () => undefined;
    jobs.run("quick", async () => undefined);
    jobs.run("slow", () => new Promise<void>((resolve) => (release = resolve)));
    jobs.stop();
    expect(jobs.stopping.aborted).toBe(true);
    expect(await jobs.settle(20)).toEqual(["slow"]);
    release();
    expect(await jobs.settle(1000)).toEqual([]);
  });
});
