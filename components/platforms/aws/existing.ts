/**
 * Resources of the caller's AWS estate that the AWS platform uses instead of
 * creating its own. Each may be another resource's output; whether one is
 * given decides what gets created, so presence (and the number of subnets)
 * must be known at construction. Plain strings are checked there too.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Problem, problemsFromZod, ProblemError } from "../../../common/problems";

export interface ExistingAwsResources {
  /** A VPC of yours: public subnets for the load balancer, private ones (with a NAT route out) for the tasks and the database; two zones or more. */
  vpc?: {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    privateSubnetIds: pulumi.Input<string>[];
  };
  /** An ECS cluster of yours (its ARN) to run the services in. */
  clusterArn?: pulumi.Input<string>;
  /** A PostgreSQL server of yours instead of a new RDS instance; give secrets.databasePassword too. */
  database?: {
    /** host name or address Prosody connects to */
    host: pulumi.Input<string>;
    /** its security group, which then lets Prosody's task in on database.port */
    securityGroupId?: pulumi.Input<string>;
  };
}

/** Each plain field: how to read its values, the form AWS gives it, and an example. */
const FORMATS: readonly [string, (existing: ExistingAwsResources) => unknown[], RegExp, string][] = [
  ["vpc.vpcId", (e) => [e.vpc?.vpcId], /^vpc-[0-9a-f]{8,17}$/, "vpc-0123456789abcdef0"],
  ["vpc.publicSubnetIds", (e) => e.vpc?.publicSubnetIds ?? [], /^subnet-[0-9a-f]{8,17}$/, "subnet-0123456789abcdef0"],
  ["vpc.privateSubnetIds", (e) => e.vpc?.privateSubnetIds ?? [], /^subnet-[0-9a-f]{8,17}$/, "subnet-0123456789abcdef0"],
  [
    "clusterArn",
    (e) => [e.clusterArn],
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/,
    "arn:aws:ecs:eu-central-1:123456789012:cluster/main",
  ],
  ["database.host", (e) => [e.database?.host], /^[A-Za-z0-9.-]{1,253}$/, "db.internal.example.org"],
  ["database.securityGroupId", (e) => [e.database?.securityGroupId], /^sg-[0-9a-f]{8,17}$/, "sg-0123456789abcdef0"],
];

/** Problems with the plain values among the existing resources (outputs are checked by AWS itself). */
export function checkExisting(existing: ExistingAwsResources): Problem[] {
  const problems: Problem[] = [];
  for (const [field, valuesOf, format, example] of FORMATS) {
    for (const value of valuesOf(existing)) {
      if (typeof value !== "string" || format.test(value)) continue;
      problems.push({
        field: `existing.aws.${field}`,
        value: JSON.stringify(value),
        message: "does not look like one",
        fix: `give the ID AWS shows, e.g. ${example}`,
      });
    }
  }
  for (const side of ["publicSubnetIds", "privateSubnetIds"] as const) {
    const subnets = existing.vpc?.[side];
    if (subnets !== undefined && subnets.length < 2) {
      problems.push({
        field: `existing.aws.vpc.${side}`,
        value: JSON.stringify(subnets.length),
        message: "fewer than two subnets: the load balancer and the database need two zones",
        fix: "give one subnet in each of at least two availability zones",
      });
    }
  }
  return problems;
}

const id = z.string();
const existingConfigSchema = z.strictObject({
  vpc: z.strictObject({ vpcId: id, publicSubnetIds: z.array(id), privateSubnetIds: z.array(id) }).optional(),
  clusterArn: id.optional(),
  database: z.strictObject({ host: id, securityGroupId: id.optional() }).optional(),
});

/** The `prosody:existing.aws` stack config: the same fields, as plain strings. */
export function parseExistingAwsConfig(value: unknown, prefix: string): ExistingAwsResources {
  const parsed = existingConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new ProblemError(problemsFromZod(parsed.error, value, prefix), "invalid stack config");
  }
  return parsed.data;
}
