/** What the AWS platform refuses up front, each refusal naming the field and the fix. */
import type { Problem } from "../../../src/common/problems";
import type { DeploymentPlan } from "../../../src/plan/plan-deployment";
import { fargateMemoryFits, FARGATE_SIZES } from "../../../src/schema/aws-spec";
import type { PlatformContext } from "../contract";
import { checkExisting, type ExistingAwsResources } from "./existing";

type Rule = (plan: DeploymentPlan, context: PlatformContext<ExistingAwsResources>) => Problem[];

const refuseWhen =
  (when: (plan: DeploymentPlan, context: PlatformContext<ExistingAwsResources>) => boolean, problem: Problem): Rule =>
  (plan, context) =>
    when(plan, context) ? [problem] : [];

const lastingStorage: Rule = ({ spec }) =>
  spec.storage === "postgresql"
    ? []
    : [
        {
          field: "storage",
          value: JSON.stringify(spec.storage),
          message: "a Fargate task has no lasting disk: SQLite would lose every account and message on the next deploy",
          fix: 'set storage: "postgresql" (a new RDS instance, or existing.aws.database)',
        },
      ];

const noFixedAddresses: Rule = ({ spec }) =>
  (["ipv4", "ipv6"] as const).flatMap((field) =>
    spec.dns[field].length === 0
      ? []
      : [
          {
            field: `dns.${field}`,
            value: JSON.stringify(spec.dns[field]),
            message: "on AWS every host name is an alias of the load balancer, whose addresses AWS chooses",
            fix: `remove dns.${field}`,
          },
        ],
  );

const s3Itself: Rule = ({ spec }) =>
  spec.upload.s3.endpoint === undefined
    ? []
    : [
        {
          field: "upload.s3.endpoint",
          value: JSON.stringify(spec.upload.s3.endpoint),
          message: "on AWS uploads go to S3 itself, reached with the gateway's IAM role",
          fix: "remove upload.s3.endpoint (and set upload.s3.bucket to use a bucket of yours)",
        },
      ];

const noCoturn = refuseWhen((plan) => plan.turn !== undefined && plan.spec.turn.coturn, {
  field: "turn.coturn",
  value: "true",
  message: "the AWS platform does not run coturn",
  fix: "set turn.coturn: false, with turn.host naming the TURN server you run",
});

const fargateSizes: Rule = ({ spec }) =>
  (["server", "gateway"] as const).flatMap((task) => {
    const { cpu, memory } = spec.aws[task];
    return fargateMemoryFits(cpu, memory)
      ? []
      : [
          {
            field: `aws.${task}.memory`,
            value: JSON.stringify(memory),
            message: `Fargate does not offer ${memory} MiB with ${cpu} CPU units`,
            fix: `for ${cpu} CPU units use ${JSON.stringify(FARGATE_SIZES[cpu])} MiB`,
          },
        ];
  });

const storageLimit: Rule = ({ spec }) =>
  spec.aws.database.maxStorageGb >= spec.aws.database.storageGb
    ? []
    : [
        {
          field: "aws.database.maxStorageGb",
          value: JSON.stringify(spec.aws.database.maxStorageGb),
          message: `smaller than aws.database.storageGb (${spec.aws.database.storageGb})`,
          fix: "give a limit at least as large as the storage",
        },
      ];

const yourDatabasePassword = refuseWhen(
  (_plan, { existing, givenSecrets }) => existing.database !== undefined && !givenSecrets.has("databasePassword"),
  {
    field: "secrets.databasePassword",
    message: "existing.aws.database names a server of yours, whose password only you know",
    fix: "`pulumi config set --secret prosody:databasePassword ...` (or pass secrets.databasePassword)",
  },
);

const RULES: readonly Rule[] = [
  (_plan, { existing }) => checkExisting(existing),
  lastingStorage,
  noFixedAddresses,
  s3Itself,
  noCoturn,
  fargateSizes,
  storageLimit,
  yourDatabasePassword,
];

export const checkAwsPlan: Rule = (plan, context) => RULES.flatMap((rule) => rule(plan, context));
