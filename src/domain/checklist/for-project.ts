/** Fills `{project}` in a configured pattern. */
export const forProject = (pattern: string, project: string): string =>
  pattern.split("{project}").join(project);
