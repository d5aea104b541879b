/**
 * The Pulumi SDKs only some stacks need are optional peer dependencies: a
 * Docker user never installs @pulumi/aws (84 MB), an AWS user never installs
 * @pulumi/docker. Each is checked before the component loads the code that
 * imports it, so a missing one is a refusal naming the field that asks for it
 * and the install command, not a stack trace.
 */
import type { Problem } from "../common/problems";
import { PLATFORM_FACTS, PLATFORMS } from "../src/catalog/platforms";
import { packageManifest } from "./package-files";
import type { DeploymentPlan } from "../src/plan/types";

/** Which spec choice needs which SDK: each platform's (its row of the core's table), then the others'. */
const NEEDS: readonly { field: string; value: (plan: DeploymentPlan) => string; when: string; sdk: string }[] = [
  ...PLATFORMS.map((platform) => ({
    field: "platform",
    value: (plan: DeploymentPlan) => plan.spec.platform,
    when: platform,
    sdk: PLATFORM_FACTS[platform].sdk,
  })),
  { field: "dns.provider", value: (plan) => plan.spec.dns.provider, when: "route53", sdk: "@pulumi/aws" },
  { field: "dns.provider", value: (plan) => plan.spec.dns.provider, when: "cloudflare", sdk: "@pulumi/cloudflare" },
  { field: "tls.mode", value: (plan) => plan.spec.tls.mode, when: "acme", sdk: "@pulumiverse/acme" },
];

const installed = (sdk: string): boolean => {
  try {
    require.resolve(`${sdk}/package.json`);
    return true;
  } catch {
    return false;
  }
};

/** The versions of each optional SDK this package works with (its peerDependencies). */
const peerRange = (sdk: string): string => packageManifest().peerDependencies?.[sdk] ?? "latest";

export function missingSdks(plan: DeploymentPlan, isInstalled: (sdk: string) => boolean = installed): Problem[] {
  return NEEDS.filter((need) => need.value(plan) === need.when && !isInstalled(need.sdk)).map((need) => ({
    field: need.field,
    value: JSON.stringify(need.when),
    message: `this needs the Pulumi SDK ${need.sdk}, which is not installed (it is an optional peer dependency)`,
    fix: `npm install ${need.sdk}@"${peerRange(need.sdk)}"`,
  }));
}
