/** What the AWS platform refuses up front, each refusal naming the field and the fix. */
import type { Problem } from "../../../common/problems";
import { eventBridgeSchedule } from "../../../src/plan/backup";
import { fargateMemoryFits, FARGATE_SIZES } from "../../../src/schema/aws-spec";
import { noCoturn as noCoturnOn, type Rule as AwsRule, yourDatabasePassword as yourDatabasePasswordOn } from "../rules";
import type { ExistingAwsResources } from "./existing";

type Rule = AwsRule<ExistingAwsResources>;

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

const noCoturn = noCoturnOn<ExistingAwsResources>("the AWS platform does not run coturn");

const fargateSizes: Rule = ({ spec }) =>
  (["server", "gateway", "backup"] as const).flatMap((task) => {
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

const yourDatabasePassword = yourDatabasePasswordOn<ExistingAwsResources>("aws");

/** The backup image's pg_dump (Debian trixie's PostgreSQL 17 client) reads servers up to 17. */
const NEWEST_DUMPABLE = 17;

const backups: Rule = ({ backup, spec }) => {
  if (!backup) return [];
  const problems: Problem[] = [];
  if (backup.destination.kind === "volume") {
    problems.push({
      field: "backup.destination",
      value: '"volume"',
      message: "a Fargate task has no lasting disk to keep backups on",
      fix: 'set backup.destination: "s3" (a bucket of the stack\'s own, or backup.s3.bucket)',
    });
  }
  if (eventBridgeSchedule(backup.schedule) === undefined) {
    problems.push({
      field: "backup.schedule",
      value: JSON.stringify(backup.schedule),
      message: "restricts both the day of the month and the weekday, which EventBridge Scheduler cannot say",
      fix: "restrict one of the two and leave the other *",
    });
  }
  const version = Number(spec.aws.database.engineVersion);
  if (spec.storage === "postgresql" && version > NEWEST_DUMPABLE) {
    problems.push({
      field: "aws.database.engineVersion",
      value: JSON.stringify(spec.aws.database.engineVersion),
      message: `the backup task's pg_dump is PostgreSQL ${NEWEST_DUMPABLE}'s, which cannot read a newer server`,
      fix: `use ${NEWEST_DUMPABLE} or older, or turn backup.enabled off`,
    });
  }
  return problems;
};

const RULES: readonly Rule[] = [
  lastingStorage,
  noFixedAddresses,
  s3Itself,
  noCoturn,
  fargateSizes,
  storageLimit,
  yourDatabasePassword,
  backups,
];

export const checkAwsPlan: Rule = (plan, context) => RULES.flatMap((rule) => rule(plan, context));
