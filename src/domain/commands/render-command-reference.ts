import { commandSpecs } from "./command-specs.js";

/** The README's command reference, generated from the command registry. */
export const renderCommandReference = (): string =>
  [
    "| Command | What it does | Default permission | Examples |",
    "| --- | --- | --- | --- |",
    ...commandSpecs.map(
      (spec) =>
        `| \`${spec.usage.replace(/\|/g, "\\|")}\` | ${spec.summary} | ${spec.permission} | ${spec.examples
          .map((e) => `\`${e}\``)
          .join("<br>")} |`,
    ),
  ].join("\n");
