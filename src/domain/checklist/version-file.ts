import type { Parsed } from "./types.js";

type Reader = (text: string) => string | undefined;

const firstGroup =
  (re: RegExp): Reader =>
  (text) =>
    re.exec(text)?.[1];

const packageJson: Reader = (text) => {
  try {
    const v: unknown = (JSON.parse(text) as Record<string, unknown>)["version"];
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
};

/** File kind → how its version is written; the first matching pattern wins. */
const readers: { test: RegExp; read: Reader }[] = [
  { test: /(^|\/)pyproject\.toml$/, read: firstGroup(/^\s*version\s*=\s*["']([^"']+)["']/m) },
  { test: /(^|\/)setup\.cfg$/, read: firstGroup(/^\s*version\s*=\s*(\S+)/m) },
  { test: /(^|\/)setup\.py$/, read: firstGroup(/version\s*=\s*["']([^"']+)["']/) },
  { test: /\.py$/, read: firstGroup(/^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']/m) },
  {
    test: /(^|\/)(Dockerfile|Containerfile)[^/]*$|\.dockerfile$/i,
    read: firstGroup(/^\s*LABEL\b.*?\b(?:org\.opencontainers\.image\.)?version\s*=\s*["']?([^"'\s]+)/im),
  },
  { test: /(^|\/)package\.json$/, read: packageJson },
  {
    test: /(^|\/)Chart\.ya?ml$/,
    read: (t) =>
      firstGroup(/^appVersion:\s*["']?([^"'\s]+)/m)(t) ?? firstGroup(/^version:\s*["']?([^"'\s]+)/m)(t),
  },
  { test: /(^|\/)(VERSION|version\.txt)$/i, read: (t) => t.trim().split(/\s/)[0] || undefined },
];

const generic: Reader = firstGroup(/version\s*[:=]\s*["']?(v?\d+\.\d+\.\d+[^"'\s,]*)/i);

/** The version a version file declares (pyproject, __init__.py, Dockerfile LABEL, package.json, Chart.yaml, VERSION). */
export const readVersionFromFile = (path: string, text: string): Parsed<string> => {
  const reader = readers.find((r) => r.test.test(path))?.read ?? generic;
  const v = reader(text);
  return v ? { ok: true, value: v.replace(/^v/, "") } : { ok: false, error: `no version found in ${path}` };
};
