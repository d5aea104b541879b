/** The prod stack's resources, each parented to the component, and its outputs. */
import { strict as assert } from "node:assert";
import { describeResources } from "../../support/mock-stack";
import { prodStack } from "./support";

describe("AWS platform: what the prod stack creates", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("creates exactly the network, registry, compute, traffic, database, uploads, backups, DNS, renewal and alarm resources", () => {
    const types = new Map<string, number>();
    for (const resource of stack.run.resources) types.set(resource.type, (types.get(resource.type) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...types].sort()), {
      // Prosody's task stopping, a backup task failing
      "aws:cloudwatch/eventRule:EventRule": 2,
      "aws:cloudwatch/eventTarget:EventTarget": 2,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      // no healthy Prosody target, the database's storage and CPU
      "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
      "aws:ec2/eip:Eip": 1,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/natGateway:NatGateway": 1,
      "aws:ec2/routeTable:RouteTable": 2,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 4,
      // the load balancer's, Prosody's, the gateway's and the renewer's (nothing in)
      "aws:ec2/securityGroup:SecurityGroup": 5,
      "aws:ec2/subnet:Subnet": 4,
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
      // Prosody's, the gateway's, the certificate renewer's and the backup runner's images
      "aws:ecr/lifecyclePolicy:LifecyclePolicy": 4,
      "aws:ecr/repository:Repository": 4,
      "aws:ecs/cluster:Cluster": 1,
      // Prosody's, the gateway's and the certificate renewer's
      "aws:ecs/service:Service": 3,
      // the three services', and the scheduled backup task's
      "aws:ecs/taskDefinition:TaskDefinition": 4,
      // four execution roles, the gateway's, the renewer's and the backup task's roles, EventBridge Scheduler's
      "aws:iam/role:Role": 8,
      "aws:iam/rolePolicy:RolePolicy": 8,
      // c2s, c2s direct TLS, s2s, HTTPS, proxy65 (the enterprise tier's file-transfer proxy) and the gateway
      "aws:lb/listener:Listener": 6,
      "aws:lb/loadBalancer:LoadBalancer": 1,
      "aws:lb/targetGroup:TargetGroup": 6,
      "aws:rds/instance:Instance": 1,
      "aws:rds/subnetGroup:SubnetGroup": 1,
      // 4 host aliases, 4 SRV records
      "aws:route53/record:Record": 8,
      // the uploads bucket and the backups bucket
      "aws:s3/bucket:Bucket": 2,
      "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": 1,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 2,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 2,
      "aws:s3/bucketPolicy:BucketPolicy": 2,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 2,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 2,
      "aws:scheduler/schedule:Schedule": 1,
      "aws:secretsmanager/secret:Secret": 4,
      "aws:secretsmanager/secretVersion:SecretVersion": 4,
      // the alarms' topic and its policy (the prod stack names no alerts.email)
      "aws:sns/topic:Topic": 1,
      "aws:sns/topicPolicy:TopicPolicy": 1,
      "docker-build:index:Image": 4,
      "prosodystack:index:ProsodyStack": 1,
      "random:index/randomPassword:RandomPassword": 3,
      // the backup key (no ACME account: the renewer keeps its own)
      "tls:index/privateKey:PrivateKey": 1,
    });
    for (const resource of stack.run.resources.filter((entry) => entry.type !== "prosodystack:index:ProsodyStack")) {
      assert.equal(resource.parent, "prosody", `${resource.name} is not a child of the component`);
      assert.match(resource.name, /^prosody-/);
    }
    assert.ok(!describeResources(stack.run).some((entry) => entry.startsWith("docker:")), "no Docker engine resources");
  });

  it("exports the load balancer, the bucket and the log group, and no CA for a public certificate", () => {
    assert.match(String(stack.run.outputs.loadBalancer), /^prosody-lb-[0-9a-f]{7}\.elb\.eu-central-1\.amazonaws\.com$/);
    assert.match(String(stack.run.outputs.uploadBucket), /^prosody-uploads-[0-9a-f]{7}$/);
    assert.match(String(stack.run.outputs.logGroup), /^prosody-logs-[0-9a-f]{7}$/);
    assert.equal(stack.run.outputs.caCertificate, undefined);
    assert.match(
      String(stack.run.outputs.databaseHost),
      /^prosody-database-[0-9a-f]{7}\.mock\.eu-central-1\.rds\.amazonaws\.com$/,
    );
  });
});
