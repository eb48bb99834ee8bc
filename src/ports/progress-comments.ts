/** One comment kept up to date (a canary analysis' progress) instead of a reply per change. */
export interface ProgressComments {
  /** Post a comment on the command's issue: its id. */
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
}
