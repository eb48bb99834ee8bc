import type { ArtifactFile } from "../../ports/checklist.js";

/**
 * Unpacked artifacts by repository and id. An artifact never changes once uploaded, so each
 * re-evaluation of a PR (every CI completion triggers one) need not download it again.
 * Bounded: the oldest entry goes first.
 */
export class ArtifactCache {
  private readonly entries = new Map<string, ArtifactFile[]>();
  constructor(private readonly maxEntries = 50) {}

  get(key: string): ArtifactFile[] | undefined {
    const files = this.entries.get(key);
    if (files) {
      this.entries.delete(key);
      this.entries.set(key, files);
    }
    return files;
  }

  set(key: string, files: ArtifactFile[]): void {
    this.entries.delete(key);
    this.entries.set(key, files);
    // A Map iterates in insertion order, so the first keys are the least recently used.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
