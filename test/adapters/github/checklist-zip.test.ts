import { describe, expect, it } from "@jest/globals";
import { crc32, deflateRawSync } from "node:zlib";
import { readZip, ZipError } from "../../../src/adapters/github/zip.js";

interface Spec {
  path: string;
  text: string;
  method: 0 | 8;
}

/** Builds a zip the way archivers do: local headers, data, central directory, end record. */
const buildZip = (specs: Spec[], comment = ""): Buffer => {
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
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(s.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, cd, end, Buffer.from(comment)]);
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
