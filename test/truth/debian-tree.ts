/**
 * Reads an unpacked Debian prosody or prosody-modules package the way Prosody
 * would: which modules it can load, what their READMEs label them, and which
 * modules their code loads with module:depends().
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join, relative, sep } from "node:path";

export const MODULE_DIR = join("usr", "lib", "prosody", "modules");
const DOC_DIR = join("usr", "share", "doc", "prosody-modules");

export function fetchRelease(release: "bookworm" | "trixie", cacheRoot: string): string {
  const dest = join(cacheRoot, release);
  const script = join(__dirname, "..", "..", "scripts", "fetch-debian-packages.sh");
  execFileSync("bash", [script, release, dest], { stdio: ["ignore", "inherit", "inherit"] });
  return dest;
}

function walk(directory: string, depth: number): string[] {
  if (depth < 0 || !existsSync(directory)) return [];
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? walk(path, depth - 1) : [path];
  });
}

/**
 * Module name → the file Prosody's pluginloader would load. Its search order for
 * module X: mod_X/X/mod_X.lua, mod_X/mod_X.lua, X/mod_X.lua, mod_X.lua.
 */
export function loadableModules(packageRoot: string): Map<string, string> {
  const modules = new Map<string, string>();
  const base = join(packageRoot, MODULE_DIR);
  for (const file of walk(base, 3)) {
    const match = /^mod_([a-z0-9_]+)\.lua$/.exec(file.split(sep).pop() ?? "");
    if (!match?.[1]) continue;
    const name = match[1];
    const path = relative(base, file).split(sep).join("/");
    const loaderPaths = [
      `mod_${name}/${name}/mod_${name}.lua`,
      `mod_${name}/mod_${name}.lua`,
      `${name}/mod_${name}.lua`,
      `mod_${name}.lua`,
    ];
    if (loaderPaths.includes(path)) modules.set(name, file);
  }
  return modules;
}

/** The names every `module:depends("x")` in a module's Lua files asks for. */
export function dependsCalls(moduleFile: string, packageRoot: string): Set<string> {
  const base = join(packageRoot, MODULE_DIR);
  const relativeDir = relative(base, moduleFile).split(sep);
  // A module in its own folder may split its code over several files; a lone mod_X.lua is just itself.
  const files =
    relativeDir.length > 1 ? walk(join(base, relativeDir[0] ?? ""), 2).filter((f) => f.endsWith(".lua")) : [moduleFile];
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/module:depends\s*\(?\s*["']([a-z0-9_]+)["']/g)) names.add(match[1] ?? "");
  }
  return names;
}

/** Module name → lower-case Stage label ("beta", "obsolete", …) or "" when the README has none. */
export function readmeLabels(packageRoot: string): Map<string, string> {
  const labels = new Map<string, string>();
  const directory = join(packageRoot, DOC_DIR);
  if (!existsSync(directory)) return labels;
  for (const entry of readdirSync(directory)) {
    const match = /^README_mod_([a-z0-9_]+)\.(md|markdown)(\.gz)?$/.exec(entry);
    if (!match?.[1]) continue;
    const raw = readFileSync(join(directory, entry));
    const text = (match[3] ? gunzipSync(raw) : raw).toString("utf8");
    const frontMatter = text.startsWith("---") ? text.slice(3, text.indexOf("\n---", 3)) : "";
    const stage = /Stage-([A-Za-z]+)/.exec(frontMatter)?.[1]?.toLowerCase() ?? "";
    if (!labels.has(match[1]) || stage) labels.set(match[1], stage);
  }
  return labels;
}
