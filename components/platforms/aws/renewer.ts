/**
 * The certificate renewer on AWS: one Fargate task, always running, that
 * issues and renews the Let's Encrypt certificate (tls.mode acme) with no
 * `pulumi up`. It answers the DNS-01 challenge in the stack's Route53 zone (or
 * Cloudflare, with the stack's token), writes each pair to the TLS secret and
 * starts a new deployment of the services that serve it: Prosody's task is
 * replaced (a short gap; clients reconnect by themselves), the gateway's
 * rolls over. Its role may do that and nothing else (roles.ts); no other task
 * gets it. It only reaches out (Let's Encrypt, Route53, Secrets Manager,
 * ECS), so its security group lets nothing in.
 *
 * ECS does not run its health check: a task replaced for a failed attempt
 * would start again without its back-off and retry at once, against Let's
 * Encrypt's rate limits. Its log says why an attempt failed, and
 * `prosody-stack check` warns about the served certificate's days left.
 */
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as ecs from "@pulumi/aws/ecs";
import * as pulumi from "@pulumi/pulumi";
import type { ImageBuild } from "../../../src/containers/description";
import { describeRenewer } from "../../../src/containers/renewer";
import type { AcmeChallenge } from "../../certificates/contract";
import type { AwsContext } from "./context";
import type { AwsNetwork } from "./network";
import { pushImage } from "./registry";
import { renewerTaskRole } from "./roles";
import { outboundOnlyService } from "./services";
import type { SecretStore } from "./secret-store";
import { fargateTask, type Value } from "./task-definition";

export interface RenewerInput {
  image: ImageBuild;
  network: AwsNetwork;
  store: SecretStore;
  clusterArn: pulumi.Output<string>;
  logGroup: cloudwatch.LogGroup;
  /** the services that serve the pair */
  served: readonly ecs.Service[];
  /** the DNS provider's challenge: with Route53, the zone the role may change */
  challenge?: AcmeChallenge;
}

export function renewer(context: AwsContext, input: RenewerInput): ecs.Service {
  const { plan } = context;
  const description = describeRenewer<Value>(plan, {
    image: input.image,
    store: {
      kind: "aws-secret",
      secretId: input.store.tlsArn,
      services: pulumi
        .all(input.served.map((service) => pulumi.interpolate`${input.clusterArn} ${service.name}`))
        .apply((pairs) => pairs.join(",")),
    },
  });
  const role = renewerTaskRole(context, {
    ...(input.challenge?.route53HostedZoneId !== undefined
      ? { route53HostedZoneId: input.challenge.route53HostedZoneId }
      : {}),
    hosts: plan.certificateNames,
    tlsSecretArn: input.store.tlsArn,
    serviceArns: input.served.map((service) => service.arn),
  });
  const { task } = fargateTask(context, "renewer", {
    description,
    image: pushImage(context, description),
    store: input.store,
    logGroup: input.logGroup,
    taskRole: role,
    replaceWhenUnhealthy: false,
  });
  // Never two renewers at once: the old task stops before the new one starts.
  return outboundOnlyService(context, "renewer", {
    clusterArn: input.clusterArn,
    task,
    network: input.network,
    what: "certificate renewer",
  });
}
