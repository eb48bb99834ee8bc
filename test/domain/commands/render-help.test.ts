import { describe, expect, it } from "@jest/globals";
import { commandSpecs } from "../../../src/domain/commands/command-specs.js";
import { renderHelp } from "../../../src/domain/commands/render-help.js";

describe("renderHelp", () => {
  const context = {
    isEnabled: (name: string) => name === "release",
    permissionFor: (name: string) => (name === "scale" ? ("maintain" as const) : ("write" as const)),
  };

  it("lists every registered command with its permission and marks the ones not enabled", () => {
    const help = renderHelp(context);
    for (const spec of commandSpecs) expect(help).toContain(spec.summary);
    expect(help).toMatch(/\/scale <env> <service> <replicas>` \| .* \| maintain \|/);
    expect(help).toMatch(/Cut a release branch[^|]*\| write \|/);
    expect(help).toMatch(/Deploy a version[^|]*_\(not enabled yet\)_ \| write \|/);
  });

  it("shows /release's --from form and when to use it", () => {
    const help = renderHelp(context, "release");
    expect(help).toContain("### `/release [X.Y.Z | major | minor | patch] [--pre rc] [--from <ref>]`");
    expect(help).toContain("- `/release --from 3f2c1ab`");
    expect(help).toContain("`--from <ref>` (a branch, tag or commit SHA of this repository)");
  });

  it("shows one command's usage and examples", () => {
    const help = renderHelp(context, "rollback");
    expect(help).toContain("### `/rollback <env> [version | --revision N]`");
    expect(help).toContain("- `/rollback production --revision 3`");
    expect(help).toContain("_Not enabled yet in this installation._");
  });
});

describe("requiredPermission", () => {
  it("raises state-changing commands to the environment's level, never a read-only one", async () => {
    const { requiredPermission } = await import("../../../src/domain/commands/required-permission.js");
    expect(requiredPermission({ name: "deploy", env: "production" }, { environment: "maintain" })).toBe(
      "maintain",
    );
    expect(requiredPermission({ name: "status", env: "production" }, { environment: "maintain" })).toBe(
      "read",
    );
    expect(requiredPermission({ name: "release", target: { kind: "auto" } }, { command: "admin" })).toBe(
      "admin",
    );
  });
});
