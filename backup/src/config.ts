/**
 * The backup runner's whole configuration comes from its environment
 * (backup/README.md documents every variable). A bad value stops the runner at
 * start with the variable, the value and the fix; a secret's value never
 * appears in an error.
 */
import { z } from "zod";
import { ageRecipient, cronSchedule } from "../../common/backup-rules";
import { problemsFromZod, ProblemError, rule } from "../../common/problems";
import { bucketName } from "../../common/s3-rules";
import { BACKUP_VARIABLES as V } from "./contract";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");
const absolute = z
  .string()
  .regex(/^\/[^\0\n]*$/, { error: rule("not an absolute path", "write e.g. /var/lib/prosody") });

const environmentSchema = z.object({
  [V.schedule]: cronSchedule.default("17 3 * * *"),
  [V.keep]: z.coerce
    .number({ error: rule("not a number", "write a whole number, e.g. 14") })
    .int()
    .min(1)
    .max(1000)
    .default(14),
  [V.domain]: z.string().regex(/^[a-z0-9.-]{1,253}$/, {
    error: rule("not the XMPP domain", "set the domain the backups are of, e.g. chat.example.org"),
  }),
  [V.prosodyVersion]: z
    .string()
    .regex(/^[0-9.]{1,16}$/)
    .default("13"),
  [V.specHash]: z
    .string()
    .regex(/^[0-9a-f]{0,64}$/)
    .default(""),
  [V.database]: z.enum(["sqlite", "postgresql"], {
    error: rule("not a storage ProsodyStack uses", 'set "sqlite" or "postgresql"'),
  }),
  [V.sqliteFile]: absolute.default("/var/lib/prosody/prosody.sqlite"),
  [V.dataFolder]: absolute.optional(),
  [V.uploads]: absolute.optional(),
  [V.recipients]: z.string().optional(),
  [V.folder]: absolute.optional(),
  [V.bucket]: bucketName.optional(),
  [V.region]: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/)
    .default("us-east-1"),
  [V.endpoint]: z
    .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio:9000") })
    .optional(),
  [V.forcePathStyle]: flag.default(false),
});

export type Destination =
  | { kind: "folder"; path: string }
  | { kind: "s3"; bucket: string; region: string; endpoint?: string; forcePathStyle: boolean };

export interface BackupConfig {
  schedule: string;
  keep: number;
  domain: string;
  prosodyVersion: string;
  specHash: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgresql" };
  /** Prosody's data folder, when mounted: its admin socket tells whether Prosody runs */
  dataFolder?: string;
  uploads?: string;
  recipients: string[];
  destination: Destination;
}

export function readBackupConfig(environment: NodeJS.ProcessEnv): BackupConfig {
  const parsed = environmentSchema.safeParse(environment);
  const problems = parsed.success ? [] : problemsFromZod(parsed.error, environment);
  const recipients = (environment[V.recipients] ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  recipients.forEach((recipient, index) => {
    if (!ageRecipient.safeParse(recipient).success) {
      problems.push({
        field: `${V.recipients} (line ${index + 1})`,
        value: JSON.stringify(recipient.slice(0, 40)),
        message: "not an age recipient",
        fix: "give one age1… or ssh-ed25519 … public key per line",
      });
    }
  });
  if (recipients.length === 0) {
    problems.push({
      field: V.recipients,
      message: "no recipient: a backup nobody can decrypt is no backup",
      fix: "give at least one age or SSH public key, one per line",
    });
  }
  const folder = environment[V.folder];
  const bucket = environment[V.bucket];
  if ((folder === undefined) === (bucket === undefined)) {
    problems.push({
      field: `${V.folder} / ${V.bucket}`,
      message: "the destination must be one folder or one bucket",
      fix: `set exactly one of ${V.folder} (a mounted volume) and ${V.bucket}`,
    });
  }
  if (environment[V.database] === "postgresql") {
    for (const name of [V.pgHost, V.pgDatabase, V.pgUser, V.pgPassword]) {
      if (!environment[name]) {
        problems.push({ field: name, message: "not set", fix: `set ${name}: pg_dump reads it to reach the database` });
      }
    }
  }
  if (!parsed.success || problems.length > 0) throw new ProblemError(problems, "invalid backup runner configuration");
  const env = parsed.data;
  return {
    schedule: env[V.schedule],
    keep: env[V.keep],
    domain: env[V.domain],
    prosodyVersion: env[V.prosodyVersion],
    specHash: env[V.specHash],
    database: env[V.database] === "sqlite" ? { kind: "sqlite", file: env[V.sqliteFile] } : { kind: "postgresql" },
    ...(env[V.dataFolder] ? { dataFolder: env[V.dataFolder] } : {}),
    ...(env[V.uploads] ? { uploads: env[V.uploads] } : {}),
    recipients,
    destination: folder
      ? { kind: "folder", path: folder }
      : {
          kind: "s3",
          bucket: env[V.bucket] ?? "",
          region: env[V.region],
          ...(env[V.endpoint] ? { endpoint: env[V.endpoint] } : {}),
          forcePathStyle: env[V.forcePathStyle],
        },
  };
}
