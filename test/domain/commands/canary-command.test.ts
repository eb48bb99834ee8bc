import { describe, expect, it } from "@jest/globals";
import { parseCommand } from "../../../src/domain/commands/parse-command.js";
import { renderHelp } from "../../../src/domain/commands/render-help.js";

describe("/canary and its analysis", () => {
  it("takes --no-analysis as a switch, alone or with a size", () => {
    expect(parseCommand("/canary production 1.2.0 --no-analysis")).toEqual({
      kind: "command",
      command: { name: "canary", env: "production", version: "1.2.0", analysis: false },
    });
    expect(parseCommand("/canary production 1.2.0 --weight 25% --no-analysis")).toEqual({
      kind: "command",
      command: { name: "canary", env: "production", version: "1.2.0", weight: 25, analysis: false },
    });
    expect(parseCommand("/canary production 1.2.0")).toEqual({
      kind: "command",
      command: { name: "canary", env: "production", version: "1.2.0" },
    });
    expect(parseCommand("/canary production 1.2.0 --no-analysis --no-analysis")).toMatchObject({
      kind: "error",
      message: expect.stringContaining("given twice"),
    });
  });

  it("/help canary describes the analysis settings and how to override them", () => {
    const help = renderHelp({ isEnabled: () => true, permissionFor: () => "write" }, "canary");
    for (const words of [
      "--no-analysis",
      "`canary.analysis`",
      "`success-rate`, `p99-latency`",
      "`failureLimit` (0)",
      "`inconclusive` (`pause`, `abort` or `wait`)",
      "`steps`",
      "`duration` (30m a step)",
      "never healthy",
      "`/promote` and `/abort` decide at any time",
    ])
      expect(help).toContain(words);
  });
});
