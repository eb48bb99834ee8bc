/** GitHub releases (the Releases API). */
export interface ReleaseRecord {
  id: number;
  tag: string;
  url: string;
  draft: boolean;
  body: string;
}

export interface Releases {
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
