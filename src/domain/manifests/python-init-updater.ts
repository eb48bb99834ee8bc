import { baseName, type VersionFileUpdater } from "./version-file-updater.js";

const VERSION = /^(__version__\s*(?::\s*str\s*)?=\s*)(["'])([^"'\n]*)\2/m;

/** `__version__ = "1.2.0"` in a package's `__init__.py` (also `_version.py`/`version.py`). */
export const pythonInitUpdater: VersionFileUpdater = {
  kind: "python-init",
  matches: (path) => ["__init__.py", "_version.py", "version.py", "__version__.py"].includes(baseName(path)),
  readVersion: (text) => VERSION.exec(text)?.[3],
  updateContent: (text, version) =>
    text.replace(VERSION, (_m, lead: string, q: string) => `${lead}${q}${version}${q}`),
};
