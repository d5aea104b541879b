/**
 * Security updates with no change to the stack: a new week (image.refresh
 * "weekly") gives our images a new tag, so the next `pulumi up` rebuilds them
 * and rolls out the containers that run them. Under Pulumi's mocks, for the
 * dev (Docker), prod (AWS) and k8s stacks, the same program in two weeks:
 * the same resources, and only the images and what runs them changed; no
 * volume, claim, database, bucket or secret.
 */
import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../components/mock-runtime";
import { readStackConfig } from "../../src/schema/stack-file";
import { FIXED_BUILD_TIME } from "../support/build-time";
import { runProgram } from "../support/mock-stack";

const ROOT = `${__dirname}/../..`;
const WEEK_SECONDS = 7 * 24 * 60 * 60;

/** What may change for a new week of packages: our images, and the stateless things that run them. */
const ROLLED_OUT = new Set([
  "docker-build:index:Image",
  "docker:index/container:Container",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:ecs/service:Service",
  "kubernetes:apps/v1:Deployment",
  "kubernetes:batch/v1:CronJob",
]);

async function runAt(stack: string, epoch: string): Promise<Map<string, RecordedResource>> {
  const before = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = epoch;
  try {
    const run = await runProgram(readStackConfig(stack, ROOT), stack);
    return new Map(run.resources.map((resource) => [resource.urn, resource]));
  } finally {
    process.env.SOURCE_DATE_EPOCH = before;
  }
}

describe("security updates: a new week of packages", function () {
  this.timeout(60000);

  for (const stack of ["dev", "prod", "k8s"]) {
    it(`rebuilds the images of the ${stack} stack and rolls out only what runs them`, async () => {
      const thisWeek = await runAt(stack, FIXED_BUILD_TIME);
      const nextWeek = await runAt(stack, String(Number(FIXED_BUILD_TIME) + WEEK_SECONDS));
      assert.deepEqual([...nextWeek.keys()].sort(), [...thisWeek.keys()].sort(), "the same resources, by URN");
      const changed = [...thisWeek.values()].filter(
        (resource) => JSON.stringify(resource.inputs) !== JSON.stringify(nextWeek.get(resource.urn)?.inputs),
      );
      assert.deepEqual(
        changed.filter((resource) => !ROLLED_OUT.has(resource.type)).map((resource) => resource.name),
        [],
        "nothing but images and what runs them changed",
      );
      const images = changed.filter((resource) => resource.type === "docker-build:index:Image");
      assert.ok(images.length >= 2, `every image rebuilt (${images.map((image) => image.name).join(", ")})`);
      for (const image of images) {
        const tags = nextWeek.get(image.urn)?.inputs.tags as string[];
        assert.match(String(tags[0]), /-2026w51-[0-9a-f]{12}$/, `${image.name} is tagged with the new week`);
      }
    });
  }
});
