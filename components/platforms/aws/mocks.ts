/** Mock-runtime stand-ins for what the AWS provider computes, in the stack's aws:region. */
import { autoName, fakeUuid, type MockContext, type ProviderMocks } from "../../mock-runtime/fakes";

/** The account every mock ARN names. */
const MOCK_ACCOUNT = "123456789012";

const regionOf = ({ config }: MockContext): string => {
  const region = config["aws:region"];
  return typeof region === "string" ? region : "us-east-1";
};

export const awsMocks: ProviderMocks = {
  everyResource: {
    provider: "aws",
    outputs: (type, name, context) => {
      const service = (type.split(":")[1] ?? "").split("/")[0] ?? "";
      return { arn: `arn:aws:${service}:${regionOf(context)}:${MOCK_ACCOUNT}:${name}` };
    },
  },
  resources: {
    "aws:ecr/repository:Repository": (name, _inputs, context) => ({
      name: autoName(name),
      registryId: MOCK_ACCOUNT,
      repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${regionOf(context)}.amazonaws.com/${autoName(name)}`,
    }),
    "aws:lb/loadBalancer:LoadBalancer": (name, _inputs, context) => ({
      dnsName: `${autoName(name)}.elb.${regionOf(context)}.amazonaws.com`,
      zoneId: "Z1MOCKELBZONE",
      arnSuffix: `net/${autoName(name)}/0123456789abcdef`,
    }),
    "aws:lb/targetGroup:TargetGroup": (name) => ({ arnSuffix: `targetgroup/${autoName(name)}/0123456789abcdef` }),
    "aws:rds/instance:Instance": (name, _inputs, context) => ({
      address: `${autoName(name)}.mock.${regionOf(context)}.rds.amazonaws.com`,
      identifier: autoName(name),
    }),
    "aws:cloudwatch/eventRule:EventRule": (name) => ({ name: autoName(name) }),
    "aws:s3/bucket:Bucket": (name, _inputs, context) => ({ bucket: autoName(name), region: regionOf(context) }),
    "aws:secretsmanager/secretVersion:SecretVersion": (name) => ({ versionId: fakeUuid(name) }),
    "aws:ecs/taskDefinition:TaskDefinition": (name, inputs, context) => {
      const family = String(inputs.family ?? name);
      const withoutRevision = `arn:aws:ecs:${regionOf(context)}:${MOCK_ACCOUNT}:task-definition/${family}`;
      return { arn: `${withoutRevision}:1`, arnWithoutRevision: withoutRevision, revision: 1 };
    },
    "aws:ecs/cluster:Cluster": (name, _inputs, context) => ({
      name: autoName(name),
      arn: `arn:aws:ecs:${regionOf(context)}:${MOCK_ACCOUNT}:cluster/${autoName(name)}`,
    }),
    "aws:ecs/service:Service": (name, inputs, context) => {
      const cluster = String(inputs.cluster ?? "default");
      const clusterName = cluster.slice(cluster.lastIndexOf("/") + 1);
      return {
        name: autoName(name),
        arn: `arn:aws:ecs:${regionOf(context)}:${MOCK_ACCOUNT}:service/${clusterName}/${autoName(name)}`,
      };
    },
    "aws:cloudwatch/logGroup:LogGroup": (name) => ({ name: autoName(name) }),
    "aws:rds/subnetGroup:SubnetGroup": (name) => ({ name: autoName(name) }),
  },
  calls: {
    "aws:index/getRegion:getRegion": (_inputs, context) => ({ region: regionOf(context), name: regionOf(context) }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, context) => ({
      names: ["a", "b", "c"].map((zone) => `${regionOf(context)}${zone}`),
    }),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (_inputs, context) => ({
      userName: "AWS",
      password: "mock-registry-token",
      proxyEndpoint: `https://${MOCK_ACCOUNT}.dkr.ecr.${regionOf(context)}.amazonaws.com`,
    }),
    "aws:ec2/getVpc:getVpc": () => ({ cidrBlock: "10.0.0.0/16" }),
    "aws:s3/getBucket:getBucket": (inputs, context) => ({
      arn: `arn:aws:s3:::${String(inputs.bucket)}`,
      region: regionOf(context),
    }),
  },
};
