/** GitHub releases (the Releases API). */
export interface ReleaseRecord {
  id: number;
  tag: string;
  url: string;
  draft: boolean;
  body: string;
}

export interface Releases {
  /** The tag of the latest published release (drafts and prereleases aside); undefined before the first. */
  findLatestTag(): Promise<string | undefined>;
  /** The release of a tag, drafts included. */
  findRelease(tag: string): Promise<ReleaseRecord | undefined>;
  createRelease(input: {
    tag: string;
    target: string;
    name: string;
    body: string;
    draft: boolean;
    prerelease: boolean;
  }): Promise<ReleaseRecord>;
  updateRelease(id: number, input: { body?: string; draft?: boolean }): Promise<ReleaseRecord>;
}
