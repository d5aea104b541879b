/**
 * The policy pack users run with `pulumi preview --policy-pack <package>/policy`:
 * every rule of rules.ts as one stack validation policy, mandatory by default.
 * Its configuration (`protectData`, `publicPorts`) comes from the pack's config
 * file (`--policy-pack-config`).
 */
import { PolicyPack, type StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_POLICY_CONFIG, POLICY_RULES, type PolicyConfig, type PolicyResource } from "./rules";

const policies: StackValidationPolicy[] = POLICY_RULES.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      protectData: { type: "boolean", default: DEFAULT_POLICY_CONFIG.protectData },
      publicPorts: { type: "array", items: { type: "number" }, default: DEFAULT_POLICY_CONFIG.publicPorts },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = { ...DEFAULT_POLICY_CONFIG, ...args.getConfig<Partial<PolicyConfig>>() };
    const resources: PolicyResource[] = args.resources.map((resource) => ({
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      props: resource.props as Record<string, unknown>,
      protect: resource.opts.protect === true,
    }));
    for (const found of rule.check(resources, config)) reportViolation(found.message, found.urn);
  },
}));

new PolicyPack("prosody-stack", { policies });
