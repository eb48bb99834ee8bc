import { gunzipSync } from "node:zlib";

/** One regular file of an archive, with the path inside the repository. */
export interface ArchiveFile {
  path: string;
  content: Buffer;
}

const BLOCK = 512;

const text = (block: Buffer, start: number, length: number): string => {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString("utf8");
};

const octal = (block: Buffer, start: number, length: number): number =>
  parseInt(text(block, start, length).trim() || "0", 8);

/** `key=value` records of a pax extended header (`27 path=a/very/long/name\n`). */
const paxRecords = (data: Buffer): Map<string, string> => {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(data.subarray(offset, space).toString("ascii"));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
};

/**
 * Reads a gzipped tar archive as GitHub serves a repository (`{owner}-{repo}-{sha}/` as the top
 * folder, pax headers for long names) and returns its regular files with that folder stripped.
 */
export const readTarball = (gzipped: Buffer): { files: ArchiveFile[]; commitSha?: string } => {
  const tar = gunzipSync(gzipped);
  const files: ArchiveFile[] = [];
  let commitSha: string | undefined;
  let longPath: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "g") {
      commitSha = paxRecords(data).get("comment") ?? commitSha;
      continue;
    }
    if (type === "x") {
      longPath = paxRecords(data).get("path");
      continue;
    }
    const fullPath = longPath ?? (prefix ? `${prefix}/${name}` : name);
    longPath = undefined;
    if (type !== "0" && type !== "\0") continue;
    const slash = fullPath.indexOf("/");
    const path = slash < 0 ? fullPath : fullPath.slice(slash + 1);
    if (path) files.push({ path, content: Buffer.from(data) });
  }
  return { files, ...(commitSha ? { commitSha } : {}) };
};
