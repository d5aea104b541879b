/**
 * Our images in ECR: one repository per image (scanned on push, old images
 * expired), each built for Fargate's x86 and pushed with a short-lived token.
 */
import * as dockerBuild from "@pulumi/docker-build";
import * as ecr from "@pulumi/aws/ecr";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription } from "../../../src/containers/description";
import { buildImage, IMAGE_PARTS } from "../../build-image";
import { type AwsContext, child, tags } from "./context";

export interface PushedImage {
  /** repository:tag@digest, what the task definition runs */
  ref: pulumi.Output<string>;
  repositoryArn: pulumi.Output<string>;
}

/** Untagged images (superseded cache layers) go after a week; of the rest, the newest this many stay. */
const KEEP_IMAGES = 20;
const UNTAGGED_DAYS = 7;

export const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: `expire untagged images after ${UNTAGGED_DAYS} days`,
      selection: {
        tagStatus: "untagged",
        countType: "sinceImagePushed",
        countUnit: "days",
        countNumber: UNTAGGED_DAYS,
      },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: `keep the ${KEEP_IMAGES} newest images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: KEEP_IMAGES },
      action: { type: "expire" },
    },
  ],
};

/** One ECR repository and the container's image pushed to it. */
export function pushImage(context: AwsContext, description: ContainerDescription<unknown>): PushedImage {
  const { parent } = context;
  const part = IMAGE_PARTS[description.name];
  const repository = new ecr.Repository(
    child(context, `${part}-repository`),
    {
      imageScanningConfiguration: { scanOnPush: true },
      // The layer cache is re-pushed under one tag; every image tag is a content hash.
      imageTagMutability: "MUTABLE",
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      // Images are rebuilt from image/ at will: a teardown should not stop at a repository holding some.
      forceDelete: true,
      tags: tags(context, `${part}-repository`),
    },
    { parent },
  );
  new ecr.LifecyclePolicy(
    child(context, `${part}-lifecycle`),
    { repository: repository.name, policy: JSON.stringify(LIFECYCLE_POLICY) },
    { parent },
  );
  const token = ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
  const image = buildImage(context, description.image, part, {
    load: false,
    repository: repository.repositoryUrl,
    registries: [
      {
        address: token.proxyEndpoint,
        username: token.userName,
        password: pulumi.secret(token.password),
      },
    ],
    platforms: [dockerBuild.Platform.Linux_amd64],
  });
  return { ref: image.ref, repositoryArn: repository.arn };
}
