/**
 * The builds of our images (components/image-builds.ts): tagged by the content
 * the build context sends, so a file the context leaves out (image/contract.ts)
 * never rebuilds an image, and a file a build step makes is asked for by name.
 */
import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTime, imageBuild, stackImages } from "../../components/image-builds";
import { imageChecks } from "../../cli/check/updates";
import { IMAGE_SOURCES, packagesPeriod } from "../../src/containers/images";
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
    assert.match(images.backup?.reference ?? "", /^prosody-stack\/prosody-backup:backup-2026w50-[0-9a-f]{12}$/);
    assert.equal(images.prosody.context, "image");
  });

  it("name the week or month of their packages in the tag and the build arguments, or a held one", () => {
    const monday = new Date("2026-12-07T00:00:00Z");
    const sunday = new Date("2026-12-13T23:59:59Z");
    const nextMonday = new Date("2026-12-14T00:00:00Z");
    const weekly = (now: Date) => stackImages(plan, ROOT, now).prosody;
    assert.equal(weekly(monday).reference, weekly(sunday).reference, "one tag all week");
    assert.notEqual(weekly(monday).reference, weekly(nextMonday).reference, "a new one the next");
    assert.match(weekly(nextMonday).reference, /^prosody-stack\/prosody:13-2026w51-[0-9a-f]{12}$/);
    assert.equal(weekly(nextMonday).buildArgs.PACKAGES_AS_OF, "2026w51");

    const withImage = (image: Record<string, unknown>) =>
      planDeployment(parseDeploymentSpec({ domain: "example.org", image }));
    const monthly = withImage({ refresh: "monthly" });
    assert.match(stackImages(monthly, ROOT, sunday).prosody.reference, /^prosody-stack\/prosody:13-2026m12-/);
    assert.equal(
      stackImages(monthly, ROOT, monday).prosody.reference,
      stackImages(monthly, ROOT, new Date("2026-12-31T23:00:00Z")).prosody.reference,
    );
    const never = stackImages(withImage({ refresh: "never" }), ROOT, monday).prosody;
    assert.match(never.reference, /^prosody-stack\/prosody:13-[0-9a-f]{12}$/);
    assert.equal(never.buildArgs.PACKAGES_AS_OF, undefined);
    const held = withImage({ hold: "2026-12-01" });
    assert.match(stackImages(held, ROOT, nextMonday).prosody.reference, /:13-2026w49-/, "held at the week of the date");
  });

  it("count weeks as ISO 8601 does, across the turn of a year", () => {
    const cases: [string, string][] = [
      ["2024-12-30", "2025w01"],
      ["2026-01-01", "2026w01"],
      ["2026-12-31", "2026w53"],
      ["2027-01-03", "2026w53"],
      ["2027-01-04", "2027w01"],
      ["2021-01-03", "2020w53"],
    ];
    for (const [date, week] of cases) assert.equal(packagesPeriod("weekly", new Date(`${date}T12:00:00Z`)), week, date);
    assert.equal(packagesPeriod("monthly", new Date("2027-01-03T12:00:00Z")), "2027m01");
    assert.equal(packagesPeriod("never", new Date()), undefined);
  });

  it("read the build time from SOURCE_DATE_EPOCH, and refuse one that is not seconds", () => {
    assert.equal(buildTime({ SOURCE_DATE_EPOCH: "1796601600" }).toISOString(), "2026-12-07T00:00:00.000Z");
    assert.ok(Math.abs(buildTime({}).getTime() - Date.now()) < 60_000);
    assert.throws(() => buildTime({ SOURCE_DATE_EPOCH: "yesterday" }), /SOURCE_DATE_EPOCH must be whole seconds/);
  });
});

describe("prosody-stack check: how old the image's packages are", () => {
  const weekly = planDeployment(parseDeploymentSpec({ domain: "example.org" }));
  const now = new Date("2026-12-09T12:00:00Z");
  const verdict = (image: string | undefined, plan = weekly) => imageChecks(plan, image, now)[0];

  it("passes an image of the current period, and warns about an older one with its age and what to run", () => {
    assert.equal(verdict("prosody-stack/prosody:13-2026w50-0123456789ab@sha256:00")?.status, "pass");
    const old = verdict("registry.example/prosody-stack/prosody:13-2026w44-0123456789ab");
    assert.equal(old?.status, "warn");
    assert.match(old?.detail ?? "", /^from 2026w44, 44 days ago; image\.refresh is weekly: run `pulumi up`/);
    const monthly = planDeployment(parseDeploymentSpec({ domain: "example.org", image: { refresh: "monthly" } }));
    assert.equal(verdict("prosody-stack/prosody:13-2026m12-0123456789ab", monthly)?.status, "pass");
    assert.match(verdict("prosody-stack/prosody:13-2026m11-0123456789ab", monthly)?.detail ?? "", /38 days ago/);
  });

  it("passes an image held at its week, and says what it cannot tell", () => {
    const held = planDeployment(parseDeploymentSpec({ domain: "example.org", image: { hold: "2026-11-02" } }));
    assert.match(
      verdict("prosody-stack/prosody:13-2026w45-0123456789ab", held)?.detail ?? "",
      /held by image\.hold 2026-11-02/,
    );
    assert.equal(verdict(undefined)?.status, "skip");
    assert.match(verdict("prosody-stack/prosody:13-0123456789ab")?.detail ?? "", /names no week or month/);
    const never = planDeployment(parseDeploymentSpec({ domain: "example.org", image: { refresh: "never" } }));
    assert.match(verdict("prosody-stack/prosody:13-0123456789ab", never)?.detail ?? "", /takes in no Debian update/);
  });
});
