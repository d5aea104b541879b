/**
 * A Debian archive of the suite's own on loopback, standing in for Debian's security archive: a
 * flat repository (dpkg-scanpackages) served over HTTP, which an image build sees next to Debian's
 * own sources through a sources file mounted into its RUN steps only (no layer keeps it, and a
 * mount is not part of a step's cache key). A package published here with a higher version is a
 * security update as apt sees one: the next `apt-get install` that runs takes it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, normalize } from "node:path";
import { STORAGE } from "./prosody";

/** Where apt reads an extra source from inside a build's RUN step. */
const SOURCES_PATH = "/etc/apt/sources.list.d/prosody-stack-e2e-updates.list";

export class DebianArchive {
  private constructor(
    readonly root: string,
    private readonly server: Server,
    /** the sources file to mount at SOURCES_PATH */
    private readonly sources: string,
  ) {}

  /** Starts an empty archive on a free loopback port. */
  static async start(): Promise<DebianArchive> {
    const root = mkdtempSync(join(tmpdir(), "debian-archive-"));
    const pool = join(root, "pool");
    mkdirSync(pool);
    writeIndex(pool, "");
    const server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://archive").pathname));
      const file = join(pool, path);
      if (!file.startsWith(`${pool}/`) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-length": statSync(file).size });
      if (request.method === "HEAD") response.end();
      else createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const sources = join(root, "updates.list");
    // [trusted=yes]: the suite's archive is unsigned; Debian's own sources stay signed as ever.
    writeFileSync(sources, `deb [trusted=yes] http://127.0.0.1:${port}/ ./\n`);
    return new DebianArchive(root, server, sources);
  }

  /** buildah's --volume argument that shows this archive to apt in a build's RUN steps. */
  get buildVolume(): string {
    return `${this.sources}:${SOURCES_PATH}:ro`;
  }

  /** Publishes a .deb: copied into the pool, and the index made again. */
  publish(deb: string): void {
    const pool = join(this.root, "pool");
    execFileSync("cp", [deb, join(pool, basename(deb))]);
    writeIndex(
      pool,
      execFileSync("dpkg-scanpackages", ["--multiversion", "."], {
        cwd: pool,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The archive's index and the Release file that names it (apt wants one; trusted=yes spares the signature). */
function writeIndex(pool: string, packages: string): void {
  writeFileSync(join(pool, "Packages"), packages);
  const sha256 = createHash("sha256").update(packages).digest("hex");
  writeFileSync(
    join(pool, "Release"),
    `Date: ${new Date().toUTCString()}\nSHA256:\n ${sha256} ${Buffer.byteLength(packages)} Packages\n`,
  );
}

/** Downloads a package as Debian's archive has it now, from inside `baseImage` (the release the image is built on). */
export function downloadPackage(baseImage: string, name: string, into: string): string {
  const container = execFileSync("buildah", [...STORAGE, "from", baseImage], { encoding: "utf8" }).trim();
  try {
    execFileSync(
      "buildah",
      [
        ...STORAGE,
        "run",
        "--isolation",
        "chroot",
        "-v",
        `${into}:/out`,
        container,
        "--",
        "sh",
        "-c",
        // The package name is the caller's constant; the quoting keeps it one word regardless.
        `apt-get update -qq && cd /out && apt-get download -q "$0"`,
        name,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } finally {
    execFileSync("buildah", [...STORAGE, "rm", container], { stdio: "ignore" });
  }
  const found = readdirSync(into).filter((file) => file.startsWith(`${name}_`) && file.endsWith(".deb"));
  if (found.length !== 1) throw new Error(`expected one ${name} package in ${into}, found: ${found.join(", ")}`);
  return join(into, found[0] ?? "");
}

/**
 * The same package with a higher version, as a Debian update would bring it: `suffix` appended to
 * its version (so apt prefers it), and `edits` applied to files it installs (path → new content),
 * with their md5sums kept true.
 */
export function newerVersion(deb: string, suffix: string, edits: Record<string, string>, into: string): string {
  const tree = mkdtempSync(join(tmpdir(), "repack-"));
  try {
    execFileSync("dpkg-deb", ["--raw-extract", deb, tree]);
    const control = join(tree, "DEBIAN", "control");
    const fields = readFileSync(control, "utf8");
    const version = /^Version: (.+)$/m.exec(fields)?.[1];
    if (!version) throw new Error(`${deb} has no Version field`);
    writeFileSync(control, fields.replace(/^Version: .+$/m, `Version: ${version}${suffix}`));
    const md5sums = join(tree, "DEBIAN", "md5sums");
    let sums = readFileSync(md5sums, "utf8");
    for (const [path, content] of Object.entries(edits)) {
      const relative = path.replace(/^\//, "");
      writeFileSync(join(tree, relative), content);
      const sum = createHash("md5").update(content).digest("hex");
      sums = sums.replace(
        new RegExp(`^[0-9a-f]{32}  ${relative.replace(/[.+]/g, "\\$&")}$`, "m"),
        `${sum}  ${relative}`,
      );
    }
    writeFileSync(md5sums, sums);
    const name = /^Package: (.+)$/m.exec(fields)?.[1] ?? "package";
    const architecture = /^Architecture: (.+)$/m.exec(fields)?.[1] ?? "all";
    const out = join(into, `${name}_${`${version}${suffix}`.replace(/^\d+:/, "")}_${architecture}.deb`);
    execFileSync("dpkg-deb", ["--root-owner-group", "--build", tree, out], { stdio: "ignore" });
    return out;
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
