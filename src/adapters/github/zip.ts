import { crc32, inflateRawSync } from "node:zlib";

/** A zip archive GitHub served (an Actions artifact) could not be read. */
export class ZipError extends Error {
  override readonly name = "ZipError";
}

export interface ZipEntry {
  path: string;
  bytes: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Guards against zip bombs: artifacts of reports are small. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

const findEndOfCentralDirectory = (buf: Buffer): number => {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipError("not a zip archive (no end of central directory record)");
};

/**
 * The files of a zip archive, for the two methods Actions artifacts use: stored (0) and
 * deflated (8). Directories are skipped; CRCs are checked; zip64 archives are refused.
 */
export const readZip = (data: Uint8Array, options: { maxBytes?: number } = {}): ZipEntry[] => {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (buf.length < 22) throw new ZipError("not a zip archive (too short)");
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError("zip64 archives are not supported");
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new ZipError(`corrupt central directory at entry ${String(n)}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const path = buf.toString("utf8", p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (path.endsWith("/")) continue;
    if (size === 0xffffffff || compressedSize === 0xffffffff)
      throw new ZipError(`${path}: zip64 entries are not supported`);
    total += size;
    if (total > maxBytes) throw new ZipError(`archive expands beyond ${String(maxBytes)} bytes`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL)
      throw new ZipError(`${path}: corrupt local header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressedSize > buf.length) throw new ZipError(`${path}: truncated data`);
    const raw = buf.subarray(start, start + compressedSize);
    let bytes: Buffer;
    if (method === 0) bytes = raw;
    else if (method === 8) {
      try {
        bytes = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (e) {
        throw new ZipError(`${path}: bad deflate data (${(e as Error).message})`);
      }
    } else throw new ZipError(`${path}: compression method ${String(method)} is not supported`);
    if (bytes.length !== size || crc32(bytes) >>> 0 !== crc)
      throw new ZipError(`${path}: size or CRC mismatch`);
    entries.push({ path, bytes: new Uint8Array(bytes) });
  }
  return entries;
};
