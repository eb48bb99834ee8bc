/** The annotated tag's message, as the release guide writes it for each kind of shipment. */
export const renderTagMessage = (
  input:
    | { kind: "release"; version: string }
    | { kind: "hotfix"; version: string; title: string }
    | { kind: "revert"; version: string; restores: string },
): string => {
  switch (input.kind) {
    case "release":
      return `Release version ${input.version}`;
    case "hotfix":
      return `Hotfix: ${input.title.trim() || input.version}`;
    case "revert":
      return `Rollback to v${input.restores} state`;
  }
};
