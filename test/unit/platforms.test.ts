/**
 * The platforms, named in two tables only: the core's facts
 * (src/catalog/platforms.ts) and the components' registry
 * (components/platforms/registry.ts). Every platform of the one has its entry
 * in the other, and nothing else asks which platform it is on by name.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { restoreSteps } from "../../cli/restore";
import { PLATFORM_REGISTRY } from "../../components/platforms/registry";
import { PLATFORM_FACTS, PLATFORMS } from "../../src/catalog/platforms";
import { planDeployment } from "../../src/plan";
import { readStackConfig, stackSpec } from "../../src/schema/stack-file";
import { deploymentSpecSchema } from "../../src/schema/deployment-spec";

const ROOT = join(__dirname, "..", "..");

/** The project's stack files, by the platform each runs on. */
const STACKS = ["dev", "prod", "k8s"].map((stack) => ({
  stack,
  plan: planDeployment(stackSpec(readStackConfig(stack, ROOT))),
}));

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((entry) => {
    const path = join(folder, entry);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("platforms", () => {
  it("each platform of the core's table has its registry entry: a loader, mocks and a restore recipe", () => {
    assert.deepEqual(Object.keys(PLATFORM_REGISTRY).sort(), [...PLATFORMS].sort());
    for (const platform of PLATFORMS) {
      const entry = PLATFORM_REGISTRY[platform];
      const module = entry.load();
      assert.equal(typeof module.deploy, "function", `${platform} deploys`);
      assert.ok(module.support.tlsModes.length > 0, `${platform} says which certificate modes it offers`);
      assert.ok(Object.keys(entry.mocks.resources ?? {}).length > 0, `${platform} brings its mocks`);
      assert.equal(typeof entry.restore, "function", `${platform} has a restore recipe`);
    }
  });

  it("each platform's restore recipe prints its own steps for a stack of its own, between the header and the check", () => {
    const printed = new Set<string>();
    for (const platform of PLATFORMS) {
      const found = STACKS.find((entry) => entry.plan.spec.platform === platform);
      assert.ok(found, `the project has a stack file on ${platform}`);
      const steps = restoreSteps(found.plan, found.stack, "latest").split("\n");
      assert.match(steps[0] ?? "", new RegExp(`^# Restore the stack ${found.stack} `));
      assert.equal(steps.at(-1), `npx prosody-stack check --stack ${found.stack}`);
      assert.ok(steps.length > 3, `${platform}'s recipe has steps`);
      printed.add(steps.slice(1, -1).join("\n"));
    }
    assert.equal(printed.size, PLATFORMS.length, "no two platforms print the same steps");
  });

  it("each platform's SDK is an optional peer dependency, and each has its own section of the spec", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const platform of PLATFORMS) {
      const { sdk } = PLATFORM_FACTS[platform];
      assert.ok(manifest.peerDependencies[sdk], `${sdk} is a peer dependency`);
      assert.equal(manifest.peerDependenciesMeta[sdk]?.optional, true, `${sdk} is optional`);
      assert.ok(platform in deploymentSpecSchema.shape, `the spec has a ${platform} section`);
    }
  });

  it("no code outside the two tables asks which platform it is on by name", () => {
    const asks = /platform\s*[!=]==\s*["'`]|["'`]\s*[!=]==\s*[\w.]*platform\b|case\s+["'`](docker|aws|kubernetes)["'`]/;
    const offenders = ["common", "src", "components", "cli"]
      .flatMap(sources)
      .concat(["program.ts", "index.ts"])
      .filter((file) => !/^components\/platforms\/(docker|aws|kubernetes)\//.test(file))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), "utf8")
          .split("\n")
          .map((line, index) => ({ where: `${relative(".", file)}:${index + 1}`, line }))
          .filter(({ line }) => asks.test(line)),
      );
    assert.deepEqual(offenders, []);
  });
});
