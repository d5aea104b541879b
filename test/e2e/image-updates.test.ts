/**
 * Debian's security fixes reach a deployed server with no change to its stack, on real builds:
 * the dev stack's program runs under Pulumi's mocks for this week and for next week, and the image
 * builds it records (docker-build's inputs: context, build arguments, tag) are compared and the
 * new one made with buildah from the Debian release it names. Between them, an archive of the suite's own on loopback
 * (harness/debian-archive.ts) publishes a newer Prosody package, as Debian's security archive
 * would. This week's tag is the one the suite's image was built under (nothing is rebuilt within
 * a week, so the update waits); next week's build takes the new package. Then the
 * recorded containers of both weeks are replayed on the same named volumes: the account and the
 * archive made on the old image are there on the new one, which reports the new version.
 *
 * The one liberty: the base image is Debian's own made locally by debootstrap (image/build.sh),
 * where BuildKit would pull debian:trixie-slim from a registry this machine cannot reach.
 */
import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { planDeployment } from "../../src/plan";
import { PACKAGES_PERIOD_ARGUMENT } from "../../src/containers/images";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { byName, programShowingAdminPasswords, stackWith, type TestedRun, runTested } from "../support/mock-stack";
import { recordFigure } from "../support/figures";
import { suiteTls, suiteTlsOutputs, type SuiteTls } from "./harness/certs";
import { DebianArchive, downloadPackage, newerVersion } from "./harness/debian-archive";
import { type ContainerInputs, PROSODY_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { IMAGE, STORAGE } from "./harness/prosody";
import { PORTS } from "./harness/server";
import { archivedBodies, login, sendChat } from "./harness/xmpp";
import { softwareVersion } from "../../cli/check/xmpp-session";

const execFileAsync = promisify(execFile);
const WEEK_SECONDS = 7 * 24 * 60 * 60;
/** What a Debian update appends to the version; the updated package reports it too. */
const UPDATE = "+e2e1";

const devStack: StackConfig = stackWith("dev", {
  "prosody:tier": "personal",
  "prosody:ports": PORTS,
  "prosody:interfaces": ["127.0.0.1"],
});

interface RecordedBuild {
  context: { location: string };
  buildArgs: Record<string, string>;
  tags: string[];
}

const buildah = (args: readonly string[]) =>
  execFileSync("buildah", [...STORAGE, ...args], { encoding: "utf8" }).trim();
const imageId = (reference: string) =>
  buildah(["inspect", "--type", "image", "--format", "{{.FromImageID}}", reference]);

/** The installed version of a package in an image. */
function installedVersion(image: string, name: string): string {
  const container = buildah(["from", image]);
  try {
    return buildah(["run", "--isolation", "chroot", container, "--", "dpkg-query", "-W", "-f", "${Version}", name]);
  } finally {
    buildah(["rm", container]);
  }
}

describe("security updates on real builds: the next week's image takes Debian's newer package, and the data stays", function () {
  this.timeout(600_000);
  const thisWeek = process.env.SOURCE_DATE_EPOCH;
  let root: string;
  let archive: DebianArchive | undefined;
  let tls: SuiteTls;
  const builtTags: string[] = [];
  const containers: ReplayedContainer[] = [];
  let debianVersion = "";

  /** The dev stack's program at `epoch`, as a `pulumi up` on that day would run it. */
  async function deployAt(epoch: string): Promise<TestedRun> {
    const before = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = epoch;
    try {
      return await runTested("dev", devStack, programShowingAdminPasswords, { outputs: suiteTlsOutputs(tls) });
    } finally {
      process.env.SOURCE_DATE_EPOCH = before;
    }
  }

  /** The Prosody image's build a run records: docker-build's inputs. */
  function recordedBuild(run: TestedRun): { tag: string; context: string; buildArgs: Record<string, string> } {
    const recorded = byName(run, "prosody-image").inputs as unknown as RecordedBuild;
    return { tag: recorded.tags[0] ?? "", context: recorded.context.location, buildArgs: recorded.buildArgs };
  }

  /**
   * Builds an image as docker-build would, with the suite's archive in view of apt. Asynchronously:
   * the archive's server is in this process, and must answer while buildah runs.
   */
  async function build({ tag, context, buildArgs }: ReturnType<typeof recordedBuild>): Promise<void> {
    const args = { ...buildArgs, BASE_IMAGE: `localhost/${buildArgs.BASE_IMAGE}` };
    await execFileAsync(
      "buildah",
      [
        ...STORAGE,
        "bud",
        "--isolation",
        "chroot",
        // One layer commit, and no intermediate images left behind: nothing of this build is cached.
        "--layers=false",
        "--format",
        "docker",
        "--volume",
        archive?.buildVolume ?? "",
        ...Object.entries(args).flatMap(([name, value]) => ["--build-arg", `${name}=${value}`]),
        "-t",
        tag,
        context,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    builtTags.push(tag);
  }

  function replay(run: TestedRun): ReplayedContainer {
    const inputs = byName(run, "prosody-server").clearInputs as unknown as ContainerInputs & { image: string };
    // docker-build's reference is tag@digest; the mocks' digest is made up, the tag is the one built.
    const image = { ...PROSODY_IMAGE, name: inputs.image.replace(/@sha256:.*$/, "") };
    const container = new ReplayedContainer(
      inputs,
      join(root, "volumes"),
      join(root, `files-${containers.length}`),
      image,
    );
    containers.push(container);
    return container;
  }

  before(async () => {
    assert.ok(thisWeek, "SOURCE_DATE_EPOCH names the time the suite's image was built for (test/e2e/run.sh sets it)");
    root = mkdtempSync(join(tmpdir(), "image-updates-"));
    chmodSync(root, 0o755);
    mkdirSync(join(root, "tls"));
    tls = suiteTls(join(root, "tls"), planDeployment(stackSpec(devStack)).certificateNames);
    archive = await DebianArchive.start();
    const downloads = join(root, "downloads");
    mkdirSync(downloads);
    const current = downloadPackage(`localhost/debian:trixie-slim`, "prosody", downloads);
    debianVersion = execFileSync("dpkg-deb", ["--field", current, "Version"], { encoding: "utf8" }).trim();
    const reported = execFileSync(
      "sh",
      ["-c", 'dpkg-deb --fsys-tarfile "$0" | tar -xO ./usr/lib/prosody/prosody.version', current],
      {
        encoding: "utf8",
      },
    ).trim();
    archive.publish(
      newerVersion(current, UPDATE, { "/usr/lib/prosody/prosody.version": `${reported}${UPDATE}\n` }, downloads),
    );
  });

  after(async () => {
    for (const container of containers) await container.remove().catch(() => undefined);
    // Next week's image goes: a later run must build it again, from Debian's archive of its day.
    for (const tag of builtTags) spawnQuiet(["rmi", tag]);
    await archive?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("holds the update within the week, takes it with the next week's tag, and keeps the data across the new image", async () => {
    const now = await deployAt(thisWeek ?? "");
    const next = await deployAt(String(Number(thisWeek) + WEEK_SECONDS));

    // Within the week the tag is the one the suite's image was built under (test/e2e/build-images.ts,
    // by the same rule): docker-build sees no change and builds nothing, and the update waits.
    const thisWeeks = recordedBuild(now);
    assert.equal(imageId(thisWeeks.tag), imageId(IMAGE), "this week's tag is the suite's image");
    assert.equal(installedVersion(thisWeeks.tag, "prosody"), debianVersion, "the update waits for the next week");

    // Next week: a new tag, nothing else in the build changed, and the newer package in the image.
    const nextWeeks = recordedBuild(next);
    assert.notEqual(nextWeeks.tag, thisWeeks.tag);
    assert.deepEqual(
      { ...nextWeeks.buildArgs, [PACKAGES_PERIOD_ARGUMENT]: "" },
      { ...thisWeeks.buildArgs, [PACKAGES_PERIOD_ARGUMENT]: "" },
      "only the period of the packages differs",
    );
    await build(nextWeeks);
    assert.notEqual(imageId(nextWeeks.tag), imageId(IMAGE));
    assert.equal(installedVersion(nextWeeks.tag, "prosody"), `${debianVersion}${UPDATE}`);

    // The data stays: the old week's container makes an account and a conversation on the volumes...
    const volumesOf = (run: TestedRun) => byName(run, "prosody-server").inputs.volumes;
    assert.deepEqual(volumesOf(next), volumesOf(now), "the same named volumes");
    const old = replay(now);
    for (const user of ["alice", "bob"]) {
      const registered = old.exec(["prosodyctl", "register", user, "localhost", `${user}-password-1`]);
      assert.equal(registered.code, 0, registered.output);
    }
    await old.start();
    let alice = await login("localhost", "alice", "alice-password-1");
    let bob = await login("localhost", "bob", "bob-password-1");
    const before = (await softwareVersion(bob, "localhost")).version;
    const bodies = ["before the update 1", "before the update 2"];
    for (const body of bodies) await sendChat(alice, "bob@localhost", body);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await archivedBodies(bob, "alice@localhost"), bodies);
    await alice.close();
    await bob.close();
    await old.remove();

    // ...and the new week's container, on the same volumes, has them and runs the update.
    const started = Date.now();
    const fresh = replay(next);
    await fresh.start();
    const downSeconds = (Date.now() - started) / 1000;
    alice = await login("localhost", "alice", "alice-password-1");
    bob = await login("localhost", "bob", "bob-password-1");
    assert.deepEqual(await archivedBodies(bob, "alice@localhost"), bodies, "the archive survived the new image");
    const after = (await softwareVersion(bob, "localhost")).version;
    assert.equal(after, `${before}${UPDATE}`, "the server reports the updated Prosody (XEP-0092)");
    await alice.close();
    await bob.close();
    await fresh.remove();

    recordFigure("image-update-docker", {
      title: "Security update through the next week's image (Docker)",
      done: "The dev stack's program runs for this week and the next while a loopback archive publishes a newer Prosody package: this week's names the suite's own image, buildah builds the one next week's names, and the recorded containers run in turn on the same volumes.",
      test: __filename,
      figures: {
        "this week's image": "the suite's, under the same tag: nothing rebuilt, the update waits",
        "next week's build": `the newer package (its version ending in ${UPDATE}); only PACKAGES_AS_OF changed`,
        "accounts kept": "2 of 2",
        "archived messages kept": `${bodies.length} of ${bodies.length}`,
      },
      observed: {
        "Prosody package, this week → next week": `${debianVersion} → ${debianVersion}${UPDATE}`,
        "version reported (XEP-0092), before → after": `${before} → ${after}`,
        "seconds from the new container's start to serving": Math.round(downSeconds * 10) / 10,
      },
    });
  });
});

function spawnQuiet(args: readonly string[]): void {
  try {
    execFileSync("buildah", [...STORAGE, ...args], { stdio: "ignore" });
  } catch {
    // already gone
  }
}
