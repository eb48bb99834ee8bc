import type { VersionFileUpdater } from "./version-file-updater.js";

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * Image tags of one configured repository in k8s manifests and docker-compose files:
 * `ghcr.io/duqueom/bankchurn-api:1.1.0` (or `:latest`) → `:1.2.0`. Other images are left alone.
 */
export const imageTagUpdater = (image: string): VersionFileUpdater => {
  const pattern = new RegExp(`(?<![\\w./-])(${escape(image)}):([\\w][\\w.-]{0,127})(?![\\w.@/-])`, "g");
  return {
    kind: `image-tag:${image}`,
    matches: (path) => /\.(?:ya?ml|json)$/i.test(path),
    readVersion(text) {
      pattern.lastIndex = 0;
      return pattern.exec(text)?.[2];
    },
    updateContent: (text, version) => text.replace(pattern, (_m, repo: string) => `${repo}:${version}`),
  };
};
