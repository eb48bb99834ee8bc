/**
 * Every lock and claim commit points at the same small tree (one `lock.txt` saying where the
 * lock is written): its SHA is known without asking GitHub, so once that tree exists in a
 * repository a lock costs one commit and one ref, not a tree as well.
 */
import { createHash } from "node:crypto";

export const LOCK_TREE_FILE = "lock.txt";
export const LOCK_TREE_TEXT =
  "A release-pilot lock or claim: who, why and since when are in this commit's message.\n";

const sha1 = (data: Buffer): Buffer => createHash("sha1").update(data).digest();

/** Git's object id of the tree holding only LOCK_TREE_FILE with LOCK_TREE_TEXT (git's own hashing). */
export const lockTreeSha = (): string => {
  const content = Buffer.from(LOCK_TREE_TEXT, "utf8");
  const blob = sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
  const entry = Buffer.concat([Buffer.from(`100644 ${LOCK_TREE_FILE}\0`), blob]);
  return sha1(Buffer.concat([Buffer.from(`tree ${entry.length}\0`), entry])).toString("hex");
};
