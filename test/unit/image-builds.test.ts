/**
 * The builds of our images (components/image-builds.ts): tagged by the content
 * the build context sends, so a file the context leaves out (image/contract.ts)
 * never rebuilds an image, and a file a build step makes is asked for by name.
 */
import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageBuild, stackImages } from "../../components/image-builds";
import { IMAGE_SOURCES } from "../../src/containers/images";
import { planDeployment } from "../../src/plan";
import { parseDeploymentSpec } from "../../src/schema";

const ROOT = join(__dirname, "..", "..");
const plan = planDeployment(parseDeploymentSpec({ domain: "example.org", backup: { enabled: true } }));

describe("image builds", () => {
  let copy: string;
  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), "prosody-stack-image-"));
    cpSync(join(ROOT, "image"), join(copy, "image"), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  const prosodySource = IMAGE_SOURCES.prosody(plan);

  it("tag Prosody's image by what its build context sends, leaving out what image/.dockerignore lists", () => {
    const before = imageBuild(prosodySource, copy).reference;
    assert.equal(before, imageBuild(prosodySource, ROOT).reference, "a copy of the folder builds the same tag");
    writeFileSync(join(copy, "image", "contract.ts"), "// changed\n");
    assert.equal(imageBuild(prosodySource, copy).reference, before, "the contract is not part of the image");
    writeFileSync(join(copy, "image", "prosody-healthcheck"), "#!/bin/sh\nexit 0\n");
    assert.notEqual(imageBuild(prosodySource, copy).reference, before, "a file the image copies is");
  });

  it("tag by the build arguments too", () => {
    const other = { ...prosodySource, buildArgs: { ...prosodySource.buildArgs, ROCKS_MODULES: "mod_x=1" } };
    assert.notEqual(imageBuild(other, ROOT).reference, imageBuild(prosodySource, ROOT).reference);
    assert.match(imageBuild(prosodySource, ROOT).reference, /^prosody-stack\/prosody:13-[0-9a-f]{12}$/);
  });

  it("refuse a pattern in .dockerignore, which the tag could not follow", () => {
    writeFileSync(join(copy, "image", ".dockerignore"), "*.ts\n");
    assert.throws(() => imageBuild(prosodySource, copy), /"\*\.ts" is a pattern; list exact paths only/);
  });

  it("name a file a build step makes when it is missing, and the npm script that makes it", () => {
    rmSync(join(copy, "image", "webclient", "converse"), { recursive: true });
    assert.throws(
      () => imageBuild(prosodySource, copy),
      /webclient\/converse is missing \(the web client's files\)\. Fix: run `npm run build:webclient`/,
    );
  });

  it("build every image the plan's containers run, and no other", () => {
    const images = stackImages(plan);
    assert.deepEqual(Object.keys(images).sort(), ["backup", "prosody"]);
    assert.match(images.backup?.reference ?? "", /^prosody-stack\/prosody-backup:backup-[0-9a-f]{12}$/);
    assert.equal(images.prosody.context, "image");
  });
});
