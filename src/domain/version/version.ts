import semver from "semver";
import { fail, ok, type Result } from "../result.js";
import { parseError, type ParseError } from "./parse-error.js";

export type BumpKind = "major" | "minor" | "patch";
export const bumpKinds: readonly BumpKind[] = ["major", "minor", "patch"];

// The official SemVer 2.0.0 grammar (semver.org): no "v" prefix, no leading zeros, no spaces.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_LENGTH = 256;

/** A strict SemVer version (value object): parse with {@link parseVersion}, print with toString(). */
export class Version {
  readonly kind = "version";
  private constructor(private readonly sv: semver.SemVer) {}

  /** Internal: build from a string already checked against the grammar. */
  static fromValid(text: string): Version {
    return new Version(new semver.SemVer(text));
  }

  get major(): number {
    return this.sv.major;
  }
  get minor(): number {
    return this.sv.minor;
  }
  get patch(): number {
    return this.sv.patch;
  }
  get prerelease(): readonly (string | number)[] {
    return this.sv.prerelease;
  }
  /** The pre-release identifier name (`rc` in `1.3.0-rc.1`), if any. */
  get preId(): string | undefined {
    const first = this.sv.prerelease[0];
    return typeof first === "string" ? first : undefined;
  }
  get isPrerelease(): boolean {
    return this.sv.prerelease.length > 0;
  }

  /** SemVer precedence: negative, zero or positive (build metadata ignored, as the spec says). */
  compare(other: Version): number {
    return this.sv.compare(other.sv);
  }
  greaterThan(other: Version): boolean {
    return this.compare(other) > 0;
  }
  equals(other: Version): boolean {
    return this.compare(other) === 0;
  }

  /**
   * The next version for a bump. With `pre`, the result is a pre-release of the bumped version
   * (`1.2.0` minor rc → `1.3.0-rc.1`), and bumping a pre-release of the same line again only
   * advances its counter (`1.3.0-rc.1` minor rc → `1.3.0-rc.2`).
   */
  bump(kind: BumpKind, pre?: string): Version {
    // SemVer#inc throws only on an invalid version or kind; `sv` and `kind` are both valid.
    const release = new semver.SemVer(this.sv.version).inc(kind).version;
    if (pre === undefined) return Version.fromValid(release);
    const samePreLine = this.isPrerelease && this.preId === pre && this.sv.version.startsWith(`${release}-`);
    if (samePreLine)
      return Version.fromValid(new semver.SemVer(this.sv.version).inc("prerelease", pre, "1").version);
    return Version.fromValid(`${release}-${pre}.1`);
  }

  toString(): string {
    return this.sv.version + (this.sv.build.length > 0 ? `+${this.sv.build.join(".")}` : "");
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Parses strict SemVer (`1.2.0`, `1.3.0-rc.1`); rejects `v1.2.0`, `1.2`, spaces and junk. Never throws. */
export const parseVersion = (text: string): Result<Version, ParseError> => {
  if (typeof text !== "string") return fail(parseError("version", String(text), "not a string"));
  if (text.length > MAX_LENGTH) return fail(parseError("version", text, "too long"));
  if (!SEMVER.test(text))
    return fail(parseError("version", text, `"${text}" is not a SemVer version (X.Y.Z)`));
  // semver rejects numbers above Number.MAX_SAFE_INTEGER, which the grammar allows.
  if (semver.valid(text) === null) return fail(parseError("version", text, `"${text}" is out of range`));
  return ok(Version.fromValid(text));
};
