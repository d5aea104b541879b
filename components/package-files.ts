/**
 * The package's own files, wherever it runs from (a checkout's sources, its
 * dist/, or an installed copy): the image folders, package.json, the provider
 * schema. The only part of the product below the entry points that finds
 * files of its own on disk.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Folder of the package's own files (`image/` sits at its root), from source or from dist/. */
export function packageRoot(from = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, "package.json")) || !existsSync(join(folder, "image", "Dockerfile"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`prosody-stack: cannot find image/Dockerfile above ${from}`);
    folder = parent;
  }
  return folder;
}

/** The package's own package.json: its version and the peer dependencies it works with. */
export const packageManifest = (): { version: string; peerDependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
    peerDependencies?: Record<string, string>;
  };
