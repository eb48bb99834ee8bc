import { crc32, inflateRawSync } from "node:zlib";

/** A zip archive GitHub served (an Actions artifact) could not be read. */
export class ZipError extends Error {
  override readonly name = "ZipError";
}

export interface ZipEntry {
  path: string;
  bytes: Uint8Array;
}

export interface ZipLimits {
  /** The most bytes all files may expand to together. */
  maxBytes?: number;
  /** The most entries the central directory may list. */
  maxEntries?: number;
}

// Record signatures and layouts: PKWARE's APPNOTE.TXT (6.3.10), sections 4.3.7 (local header),
// 4.3.12 (central directory header), 4.3.14–4.3.16 (zip64 end record, its locator, the end
// record) and 4.5.3 (the zip64 extended information extra field, id 0x0001).
const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;

/**
 * Guards against zip bombs. An artifact is written by whoever runs the workflow, a fork's pull
 * request included; reports are small. The sizes are the central directory's, checked before
 * anything is inflated, and inflating stops at the declared size (a header that understates it
 * fails at once instead of expanding the stream in full).
 */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 10_000;
/** Deflate cannot expand past about 1032:1 (RFC 1951: 258 bytes for a 2-bit code at best). */
const MAX_DEFLATE_RATIO = 1032;

const findEndOfCentralDirectory = (buf: Buffer): number => {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipError("not a zip archive (no end of central directory record)");
};

/** A 64-bit little-endian field as a number; past 2^53 it cannot be an offset in a Buffer. */
const u64 = (buf: Buffer, at: number): number => {
  const n = buf.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError("zip64 field out of range");
  return Number(n);
};

/** The entry count and central directory offset, from the zip64 end record when there is one. */
const directoryOf = (buf: Buffer, eocd: number): { count: number; offset: number } => {
  const count = buf.readUInt16LE(eocd + 10);
  const offset = buf.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && buf.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const record = u64(buf, locator + 8);
    if (record + 56 > locator || buf.readUInt32LE(record) !== ZIP64_EOCD)
      throw new ZipError("corrupt zip64 end of central directory record");
    return { count: u64(buf, record + 32), offset: u64(buf, record + 48) };
  }
  if (count === 0xffff || offset === 0xffffffff)
    throw new ZipError("zip64 archive without its zip64 end record");
  return { count, offset };
};

/**
 * An entry's sizes and local header offset: a field saturated at 0xffffffff is in the zip64
 * extra field, which holds only the saturated ones, in this order.
 */
const sizesOf = (
  buf: Buffer,
  extra: { start: number; end: number },
  fields: { size: number; compressedSize: number; localOffset: number },
  path: string,
): { size: number; compressedSize: number; localOffset: number } => {
  const saturated = (["size", "compressedSize", "localOffset"] as const).filter(
    (k) => fields[k] === 0xffffffff,
  );
  if (saturated.length === 0) return fields;
  for (let p = extra.start; p + 4 <= extra.end;) {
    const id = buf.readUInt16LE(p);
    const length = buf.readUInt16LE(p + 2);
    if (id === ZIP64_EXTRA) {
      if (length < saturated.length * 8 || p + 4 + length > extra.end)
        throw new ZipError(`${path}: short zip64 extra field`);
      const out = { ...fields };
      saturated.forEach((k, i) => (out[k] = u64(buf, p + 4 + i * 8)));
      return out;
    }
    p += 4 + length;
  }
  throw new ZipError(`${path}: zip64 sizes without a zip64 extra field`);
};

/**
 * The files of a zip archive, for the two methods Actions artifacts use: stored (0) and
 * deflated (8). Sizes come from the central directory, so entries written with data
 * descriptors (streamed, sizes after the data) read as any other; zip64 archives and entries
 * are read. Directories are skipped; CRCs are checked.
 */
export const readZip = (data: Uint8Array, options: ZipLimits = {}): ZipEntry[] => {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (buf.length < 22) throw new ZipError("not a zip archive (too short)");
  const { count, offset } = directoryOf(buf, findEndOfCentralDirectory(buf));
  if (count > maxEntries)
    throw new ZipError(`archive lists ${String(count)} entries (limit ${String(maxEntries)})`);
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new ZipError(`corrupt central directory at entry ${String(n)}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength + extraLength > buf.length)
      throw new ZipError(`corrupt central directory at entry ${String(n)}`);
    const path = buf.toString("utf8", p + 46, p + 46 + nameLength);
    const extra = { start: p + 46 + nameLength, end: p + 46 + nameLength + extraLength };
    const { size, compressedSize, localOffset } = sizesOf(
      buf,
      extra,
      {
        compressedSize: buf.readUInt32LE(p + 20),
        size: buf.readUInt32LE(p + 24),
        localOffset: buf.readUInt32LE(p + 42),
      },
      path,
    );
    p += 46 + nameLength + extraLength + commentLength;
    if (path.endsWith("/")) continue;
    total += size;
    if (total > maxBytes) throw new ZipError(`archive expands beyond ${String(maxBytes)} bytes`);
    if (method === 8 && size > Math.max(compressedSize, 1) * MAX_DEFLATE_RATIO)
      throw new ZipError(
        `${path}: declared size is more than deflate can expand ${String(compressedSize)} bytes to`,
      );
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL)
      throw new ZipError(`${path}: corrupt local header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressedSize > buf.length) throw new ZipError(`${path}: truncated data`);
    const raw = buf.subarray(start, start + compressedSize);
    let bytes: Buffer;
    if (method === 0) bytes = raw;
    else if (method === 8) {
      try {
        // Node's zlib stops at maxOutputLength: a stream longer than declared fails here.
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
