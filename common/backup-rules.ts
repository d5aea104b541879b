/**
 * Backup facts shared by the spec (backup.schedule, backup.recipients), the
 * backup runner (BACKUP_SCHEDULE, BACKUP_RECIPIENTS) and the platforms that
 * schedule it (a Kubernetes CronJob, an EventBridge schedule on AWS): one
 * schedule syntax every one of them reads the same way, and one rule for an
 * age recipient.
 */
import { Cron } from "croner";
import { z } from "zod";
import { rule } from "./problems";

/** A cron field of numbers: `*`, `n`, `n-m`, each with an optional `/step`, joined by commas. */
const CRON_FIELD = /^(?:\*|\d{1,2}(?:-\d{1,2})?)(?:\/\d{1,2})?(?:,(?:\*|\d{1,2}(?:-\d{1,2})?)(?:\/\d{1,2})?)*$/;
const FIELD_NAMES = ["minute", "hour", "day of month", "month", "day of week"] as const;

/** Why a schedule is not five numeric cron fields every scheduler we use reads alike, or nothing. */
export function cronRefusal(value: string): string | undefined {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== FIELD_NAMES.length) {
    return rule(
      `has ${fields.length} fields, not 5`,
      'write minute hour day-of-month month day-of-week, in UTC, e.g. "17 3 * * *" (03:17 every day)',
    );
  }
  const odd = fields.findIndex((field) => !CRON_FIELD.test(field));
  if (odd !== -1) {
    return rule(
      `the ${FIELD_NAMES[odd]} field "${fields[odd]}" is not numbers, *, ranges, steps and lists`,
      "use numbers, *, n-m, */n and commas (no names, no L, W, # or ?): e.g. 0 */6 * * *",
    );
  }
  try {
    // croner checks each field's range (minute 0-59, day of week 0-7, ...).
    new Cron(fields.join(" "), { paused: true, timezone: "UTC" });
  } catch (error) {
    return rule(
      `not a schedule (${(error as Error).message.replace(/^CronPattern: /, "")})`,
      "keep each field in its range: minute 0-59, hour 0-23, day 1-31, month 1-12, day of week 0-7",
    );
  }
  return undefined;
}

/** Five numeric cron fields, in UTC. */
export const cronSchedule = z.string().superRefine((value, context) => {
  const refusal = cronRefusal(value);
  if (refusal !== undefined) context.addIssue({ code: "custom", message: refusal });
});

/** The next `count` times a schedule fires after `from`. */
export const nextRuns = (schedule: string, count: number, from = new Date()): Date[] =>
  new Cron(schedule, { paused: true, timezone: "UTC" }).nextRuns(count, from);

/** An age recipient: a native X25519 one (age1…) or an SSH public key age encrypts to. */
export const ageRecipient = z
  .string()
  .regex(/^(?:age1[02-9ac-hj-np-z]{58}|ssh-(?:ed25519|rsa) [A-Za-z0-9+/]{40,}={0,2}(?: [\x21-\x7e]{1,100})?)$/, {
    error: rule(
      "not an age recipient",
      'give an age public key ("age1" and 58 characters, from age-keygen) or an ssh-ed25519 or ssh-rsa public key line',
    ),
  });
