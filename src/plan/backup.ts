/**
 * The plan's backups: when, how many, where to, and what each one holds
 * (the database the plan stores in, the uploads when they live on a volume).
 */
import { createHash } from "node:crypto";
import { PLATFORM_FACTS } from "../catalog/platforms";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { BackupPlan, StoragePlan, UploadPlan } from "./types";

export function planBackup(
  spec: DeploymentSpec,
  storage: StoragePlan,
  uploads: UploadPlan | undefined,
): BackupPlan | undefined {
  const { backup } = spec;
  if (!backup.enabled) return undefined;
  const facts = PLATFORM_FACTS[spec.platform];
  const kind = backup.destination ?? facts.backupDestination;
  return {
    schedule: backup.schedule,
    keep: backup.keep,
    destination:
      kind === "volume"
        ? { kind: "volume" }
        : {
            kind: "s3",
            ...(backup.s3.bucket !== undefined ? { bucket: backup.s3.bucket } : {}),
            ...(backup.s3.endpoint !== undefined ? { endpoint: backup.s3.endpoint } : {}),
            region: backup.s3.region,
            forcePathStyle: backup.s3.forcePathStyle,
            // The cloud's own S3 from that cloud: the platform's identity (a role); anything else: keys only the bucket's owner has.
            credentials: facts.cloudIdentity && backup.s3.endpoint === undefined ? "platform" : "keys",
          },
    database: storage.kind,
    ...(storage.kind === "sqlite" ? { sqliteFile: `${spec.paths.data}/${storage.file}` } : {}),
    ...(uploads?.mode === "volume" && uploads.folder ? { uploadsFolder: uploads.folder } : {}),
    recipients: [...backup.recipients],
    // Recorded in each backup's manifest: which spec the server ran when it was taken.
    specHash: createHash("sha256").update(JSON.stringify(spec)).digest("hex"),
  };
}

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

/** The days a cron day-of-week field names (0 and 7 are Sunday), each once, in order. */
function weekdays(field: string): number[] {
  const days = new Set<number>();
  for (const part of field.split(",")) {
    const [range = "*", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === "*" ? [0, 6] : range.includes("-") ? range.split("-").map(Number) : [Number(range), Number(range)];
    for (let day = from ?? 0; day <= (to ?? 0); day += step) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * A schedule as EventBridge Scheduler writes it: `cron(minute hour day month weekday year)`, with
 * "?" for whichever of day and weekday is unrestricted and weekdays by name. Undefined when cron's
 * "day or weekday" (both restricted) cannot be said there.
 */
export function eventBridgeSchedule(schedule: string): string | undefined {
  const [minute, hour, day, month, weekday] = schedule.trim().split(/\s+/) as [string, string, string, string, string];
  if (weekday === "*") return `cron(${minute} ${hour} ${day} ${month} ? *)`;
  if (day !== "*") return undefined;
  const names = weekdays(weekday).map((index) => DAY_NAMES[index]);
  return `cron(${minute} ${hour} ? ${month} ${names.join(",")} *)`;
}
