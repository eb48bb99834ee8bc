import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";
import { readZip, ZipError } from "../../../src/adapters/github/zip.js";

interface Spec {
  path: string;
  text: string;
  method: 0 | 8;
}

/** Builds a zip the way archivers do: local headers, data, central directory, end record. */
const buildZip = (specs: Spec[], comment = "", { zip64 = false } = {}): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const s of specs) {
    const name = Buffer.from(s.path, "utf8");
    const data = Buffer.from(s.text, "utf8");
    const body = s.method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(s.method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(zip64 ? 45 : 20, 4);
    central.writeUInt16LE(zip64 ? 45 : 20, 6);
    central.writeUInt16LE(s.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    // APPNOTE 4.5.3: the zip64 extra field holds the saturated fields, original size first.
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
      central.writeUInt16LE(extra.length, 30);
    }
    locals.push(local, name, body);
    centrals.push(central, name, extra);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : specs.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : specs.length, 10);
  end.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  // APPNOTE 4.3.14 and 4.3.15: the zip64 end record (56 bytes) and its locator (20 bytes).
  const record = Buffer.alloc(zip64 ? 56 : 0);
  const locator = Buffer.alloc(zip64 ? 20 : 0);
  if (zip64) {
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(specs.length), 24);
    record.writeBigUInt64LE(BigInt(specs.length), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
  }
  return Buffer.concat([...locals, cd, record, locator, end, Buffer.from(comment)]);
};

const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const xml =
  '<?xml version="1.0" ?>\n<coverage line-rate="0.82" lines-valid="412" lines-covered="338">'.repeat(20);

describe("readZip", () => {
  it("reads deflated and stored entries, skipping directories", () => {
    const zip = buildZip(
      [
        { path: "BankChurn-Predictor/", text: "", method: 0 },
        { path: "BankChurn-Predictor/coverage.xml", text: xml, method: 8 },
        { path: "lcov.info", text: "SF:a.ts\nLF:4\nLH:3\nend_of_record\n", method: 0 },
      ],
      "artifact comment",
    );
    const entries = readZip(zip);
    expect(entries.map((e) => e.path)).toEqual(["BankChurn-Predictor/coverage.xml", "lcov.info"]);
    expect(text(entries[0]!.bytes)).toBe(xml);
    expect(text(entries[1]!.bytes)).toBe("SF:a.ts\nLF:4\nLH:3\nend_of_record\n");
  });
  it("reads an empty archive", () => {
    expect(readZip(buildZip([]))).toEqual([]);
  });
  it("refuses what is not a zip, and corrupt or oversized archives, with a ZipError", () => {
    const zip = buildZip([{ path: "a.json", text: '{"a": 1}'.repeat(100), method: 8 }]);
    expect(() => readZip(Buffer.from("<html>Not Found</html>".repeat(3)))).toThrow(
      /no end of central directory/,
    );
    expect(() => readZip(Buffer.from("PK"))).toThrow(ZipError);
    const flipped = Buffer.from(zip);
    flipped[40] = flipped[40]! ^ 0xff; // inside the deflated data
    expect(() => readZip(flipped)).toThrow(ZipError);
    expect(() => readZip(zip, { maxBytes: 100 })).toThrow(/expands beyond 100 bytes/);
    const truncated = Buffer.concat([zip.subarray(0, 20), zip.subarray(zip.length - 22 - 46 - 6)]);
    expect(() => readZip(truncated)).toThrow(ZipError);
  });
});

describe("readZip on an archive written by another tool", () => {
  it("reads Python zipfile's output byte for byte", async () => {
    const { readFileSync } = await import("node:fs");
    const zip = readFileSync(new URL("../../fixtures/checklist/coverage-artifact.zip", import.meta.url));
    const entries = readZip(zip);
    expect(entries.map((e) => e.path)).toEqual([
      "BankChurn-Predictor/coverage.xml",
      "CarVision-Market-Intelligence/lcov.info",
      "TelecomAI-Customer-Intelligence/coverage.json",
    ]);
    const fixture = (name: string) =>
      readFileSync(new URL(`../../fixtures/checklist/${name}`, import.meta.url), "utf8");
    expect(text(entries[0]!.bytes)).toBe(fixture("coverage.xml"));
    expect(text(entries[1]!.bytes)).toBe(fixture("lcov.info"));
    expect(text(entries[2]!.bytes)).toBe(fixture("coverage.json"));
  });
});

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/zip/${name}`, import.meta.url));
const checklistFile = (name: string): string =>
  readFileSync(new URL(`../../fixtures/checklist/${name}`, import.meta.url), "utf8");
/** The offset of the last central directory header (the archives below have one file entry last). */
const lastCentral = (zip: Buffer): number => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));

describe("readZip on archives Info-ZIP and Python wrote (test/fixtures/zip/README.md)", () => {
  it("reads entries written with data descriptors, whose local headers carry no sizes", () => {
    const zip = fixture("infozip-streamed.zip");
    // The general-purpose flag's bit 3 is set on both files: sizes and CRC follow the data.
    expect(zip.readUInt16LE(6 + zip.indexOf("BankChurn/coverage.xml") - 30) & 0x8).toBe(0x8);
    const entries = readZip(zip);
    expect(entries.map((e) => e.path)).toEqual(["BankChurn/coverage.xml", "lcov.info"]);
    expect(text(entries[0]!.bytes)).toBe(checklistFile("coverage.xml"));
    expect(text(entries[1]!.bytes)).toBe(checklistFile("lcov.info"));
  });
  it("reads an entry streamed from standard input to a pipe: a zip64 data descriptor", () => {
    const zip = fixture("infozip-stdin-piped.zip");
    // APPNOTE 4.3.9.2: the descriptor after the data holds 8-byte sizes (133 compressed, 213).
    const descriptor = zip.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]));
    expect([zip.readBigUInt64LE(descriptor + 8), zip.readBigUInt64LE(descriptor + 16)]).toEqual([133n, 213n]);
    expect(readZip(zip)).toEqual([
      { path: "-", bytes: new Uint8Array(Buffer.from(checklistFile("lcov.info"))) },
    ]);
  });
  it("reads an archive with a zip64 end of central directory record and locator", () => {
    const zip = fixture("infozip-stdin-zip64-end.zip");
    expect(zip.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    expect(zip.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBeGreaterThan(0);
    expect(readZip(zip)).toEqual([
      { path: "-", bytes: new Uint8Array(Buffer.from(checklistFile("lcov.info"))) },
    ]);
  });
  it("reads stored entries, one with a zip64 local header", () => {
    const entries = readZip(fixture("python-stored-zip64.zip"));
    expect(entries.map((e) => [e.path, text(e.bytes)])).toEqual([
      ["TelecomAI/coverage.json", checklistFile("coverage.json")],
      ["lcov.info", checklistFile("lcov.info")],
    ]);
  });
  it("reads sizes and offsets from the central directory's zip64 extra field and end record", () => {
    const zip = buildZip(
      [
        { path: "a/coverage.xml", text: xml, method: 8 },
        { path: "lcov.info", text: "LF:4\nLH:3\n", method: 0 },
      ],
      "",
      { zip64: true },
    );
    expect(readZip(zip).map((e) => [e.path, text(e.bytes)])).toEqual([
      ["a/coverage.xml", xml],
      ["lcov.info", "LF:4\nLH:3\n"],
    ]);
  });
  it("refuses a zip bomb before inflating it", () => {
    const bomb = fixture("python-bomb.zip");
    expect(bomb.length).toBeLessThan(70_000);
    expect(() => readZip(bomb)).toThrow(/expands beyond 67108864 bytes/);
  });
  it("stops inflating at the declared size when a header understates it", () => {
    const lying = Buffer.from(fixture("python-bomb.zip"));
    lying.writeUInt32LE(1024, lastCentral(lying) + 24);
    expect(() => readZip(lying)).toThrow(/coverage.json: bad deflate data/);
  });
  it("refuses a declared size deflate cannot reach, and more entries than the cap", () => {
    const inflated = Buffer.from(fixture("python-bomb.zip"));
    const compressed = inflated.readUInt32LE(lastCentral(inflated) + 20);
    inflated.writeUInt32LE(compressed * 2000, lastCentral(inflated) + 24);
    expect(() => readZip(inflated, { maxBytes: 2 ** 40 })).toThrow(/more than deflate can expand/);
    expect(() => readZip(fixture("infozip-streamed.zip"), { maxEntries: 2 })).toThrow(
      /lists 3 entries \(limit 2\)/,
    );
  });
  it("never returns altered contents: any one corrupted byte gives the same files or a ZipError", () => {
    const zip = fixture("infozip-streamed.zip");
    const expected = readZip(zip);
    let refused = 0;
    for (let i = 0; i < zip.length; i++) {
      const bad = Buffer.from(zip);
      bad[i] = bad[i]! ^ 0xff;
      let got: ReturnType<typeof readZip>;
      try {
        got = readZip(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(ZipError);
        refused++;
        continue;
      }
      // A byte outside what the reader uses (a timestamp, the local copy of a name) changes
      // nothing; one in a central name renames a file; the directory entry losing its trailing
      // slash becomes an empty file. No file's contents ever change.
      for (const entry of got)
        expect(["", ...expected.map((e) => text(e.bytes))]).toContain(text(entry.bytes));
    }
    expect(refused).toBeGreaterThan(zip.length / 2);
  });
});
