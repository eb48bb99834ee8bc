import { formatLike, versionOfValue } from "./value-format.js";
import type { VersionFileUpdater } from "./version-file-updater.js";

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * Image tags of one configured repository in k8s manifests and docker-compose files:
 * `ghcr.io/duqueom/bankchurn-api:1.1.0` (or `:latest`) → `:1.2.0`, in the tag's own format
 * (`:v2.0.0` → `:v2.1.0`, `:1.1.0-alpine` → `:1.2.0-alpine`). Other images are left alone, and
 * so is a tag that is a variable (`:${VERSION}`, `:{{ .Chart.AppVersion }}`): the plan reports it.
 */
export const imageTagUpdater = (image: string): VersionFileUpdater => {
  const repo = escape(image);
  const pattern = new RegExp(`(?<![\\w./-])(${repo}):([\\w][\\w.-]{0,127})(?![\\w.@/-])`, "g");
  // Docker reference grammar: a tag is `[\w][\w.-]{0,127}`, so a template or `${…}` is a variable.
  const variable = new RegExp(
    `(?<![\\w./-])${repo}:(\\$\\{[^}\\n]{1,200}\\}|\\$\\w+|\\{\\{[^}\\n]{1,200}\\}\\})`,
    "g",
  );
  return {
    kind: `image-tag:${image}`,
    matches: (path) => /\.(?:ya?ml|json)$/i.test(path),
    readVersion(text) {
      let first: string | undefined;
      for (const [, , tag] of text.matchAll(pattern)) {
        if (tag === undefined) continue;
        const version = versionOfValue(tag);
        if (version !== undefined) return version;
        first ??= tag;
      }
      return first;
    },
    updateContent: (text, version) =>
      text.replace(
        pattern,
        (_m, name: string, tag: string) => `${name}:${formatLike(tag, version) ?? version}`,
      ),
    notes: (text) =>
      [...new Set([...text.matchAll(variable)].flatMap(([, tag]) => tag ?? []))].map(
        (tag) => `${image}:${tag} is a variable; left as it is`,
      ),
  };
};
