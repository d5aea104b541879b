/**
 * The `aws` section of the spec: sizes and choices of the AWS platform, each
 * with a default that fits one small-to-medium server. Which of the caller's
 * existing resources to use (VPC, cluster, zone, database) is not here: those
 * are component inputs that may be other resources' outputs (ExistingAwsResources).
 */
import { z } from "zod";
import { rule } from "../../common/problems";

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate's task sizes: memory (MiB) allowed for each CPU size (1024 = 1 vCPU). */
export const FARGATE_SIZES: Readonly<Record<number, { min: number; max: number; step: number } | readonly number[]>> = {
  256: [512, 1024, 2048],
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
};

export function fargateMemoryFits(cpu: number, memory: number): boolean {
  const sizes = FARGATE_SIZES[cpu];
  if (sizes === undefined) return false;
  if (Array.isArray(sizes)) return sizes.includes(memory);
  const { min, max, step } = sizes as { min: number; max: number; step: number };
  return memory >= min && memory <= max && memory % step === 0;
}

const VPC_RANGE = rule("not an IPv4 range of /16 to /24", 'write e.g. "10.0.0.0/16"');

const fargateCpu = z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)], {
  error: rule("not a Fargate CPU size", "use 256, 512, 1024, 2048 or 4096 (1024 is one vCPU)"),
});
const memory = z.number().int().min(512).max(30720);

/** A Fargate task size; the defaults differ per task (aws.server, aws.gateway). */
const taskSize = (cpu: 256 | 512, mib: number) =>
  z
    .strictObject({
      cpu: fargateCpu.default(cpu).meta({
        description: "CPU units of the task (1024 = one vCPU).",
        defaultText: "512 for the server, 256 for the gateway and the backup task",
      }),
      memory: memory.default(mib).meta({
        description: "Memory of the task in MiB; Fargate allows only certain sizes per CPU size.",
        defaultText: "1024 for the server, 512 for the gateway and the backup task",
      }),
    })
    .prefault({});

export const awsSpecSchema = z
  .strictObject({
    zones: z.number().int().min(2).max(3).default(2).meta({
      description:
        "Availability zones a new VPC spans: its public and private subnets, and the database's standby (2 or 3).",
    }),
    vpcCidr: z
      .cidrv4({ error: VPC_RANGE })
      .refine((range) => Number(range.split("/")[1]) >= 16 && Number(range.split("/")[1]) <= 24, { error: VPC_RANGE })
      .default("10.0.0.0/16")
      .meta({ description: "Address range of a new VPC (IPv4, /16 to /24)." }),
    natGateways: z.enum(["single", "per-zone"]).default("single").meta({
      description:
        'NAT gateways of a new VPC: "single" (cheapest) or "per-zone" (outbound traffic survives a zone outage).',
    }),
    server: taskSize(512, 1024).meta({
      description: "The Prosody task's size.",
      defaultText: "512 CPU units, 1024 MiB",
    }),
    gateway: taskSize(256, 512).meta({
      description: "The upload gateway's task size.",
      defaultText: "256 CPU units, 512 MiB",
    }),
    backup: taskSize(256, 512).meta({
      description: "The backup task's size, with backup.enabled.",
      defaultText: "256 CPU units, 512 MiB",
    }),
    renewer: taskSize(256, 512).meta({
      description: "The certificate renewer's task size, with tls.mode acme.",
      defaultText: "256 CPU units, 512 MiB",
    }),
    watchdog: taskSize(256, 512).meta({
      description: "The watchdog's task size, with alerts.watchdog.enabled.",
      defaultText: "256 CPU units, 512 MiB",
    }),
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: rule("not a CloudWatch retention period", `use one of ${LOG_RETENTION_DAYS.join(", ")}`),
      })
      .default(30)
      .meta({ description: "Days CloudWatch keeps the containers' logs." }),
    database: z
      .strictObject({
        instanceClass: z
          .string()
          .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, {
            error: rule("not an RDS instance class", 'write e.g. "db.t4g.micro"'),
          })
          .default("db.t4g.micro")
          .meta({ description: "RDS instance class." }),
        storageGb: z.number().int().min(20).max(65536).default(20).meta({ description: "Allocated storage in GiB." }),
        maxStorageGb: z
          .number()
          .int()
          .min(20)
          .max(65536)
          .default(100)
          .meta({ description: "RDS grows the storage up to this many GiB when it fills." }),
        engineVersion: z
          .string()
          .regex(/^1[4-9]$/, { error: rule("not a PostgreSQL major version RDS offers", 'write e.g. "17"') })
          .default("17")
          .meta({
            description: "PostgreSQL major version; RDS applies minor versions in the maintenance window.",
          }),
        multiAz: z.boolean().default(false).meta({
          description: "A standby in a second zone that RDS fails over to (doubles the database's cost).",
        }),
        backupRetentionDays: z.number().int().min(1).max(35).default(7).meta({
          description: "Days of automatic backups (point-in-time recovery) RDS keeps (1 to 35).",
        }),
      })
      .prefault({})
      .meta({ description: "The RDS PostgreSQL instance." }),
  })
  .prefault({});
