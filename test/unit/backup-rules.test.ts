/**
 * The backup rules every part shares: the schedule syntax (five numeric cron
 * fields, the subset a CronJob, EventBridge and the runner all read alike), its
 * EventBridge form, age recipients, and the runner's own settings.
 */
import { strict as assert } from "node:assert";
import { readBackupConfig } from "../../backup/src/config";
import { backupName, isBackupOf, manifestName } from "../../backup/src/bundle";
import { cronRefusal, nextRuns, ageRecipient } from "../../common/backup-rules";
import { ProblemError } from "../../common/problems";
import { eventBridgeSchedule } from "../../src/plan/backup";

const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

describe("backup rules", () => {
  it("takes five numeric cron fields and refuses the rest, naming the field", () => {
    for (const good of ["17 3 * * *", "0 */6 * * *", "30 2 * * 1-5", "0 0 1,15 * *", "5 4 * * 0,7"]) {
      assert.equal(cronRefusal(good), undefined, good);
    }
    assert.match(cronRefusal("* * * *") ?? "", /has 4 fields, not 5/);
    assert.match(cronRefusal("0 0 * * * *") ?? "", /has 6 fields/);
    assert.match(cronRefusal("0 3 * * MON") ?? "", /day of week field "MON"/);
    assert.match(cronRefusal("0 3 L * *") ?? "", /day of month field "L"/);
    assert.match(cronRefusal("61 3 * * *") ?? "", /not a schedule \(.*minute/i);
  });

  it("computes the next runs in UTC", () => {
    const runs = nextRuns("17 3 * * *", 2, new Date("2026-12-04T05:00:00Z"));
    assert.deepEqual(
      runs.map((date) => date.toISOString()),
      ["2026-12-05T03:17:00.000Z", "2026-12-06T03:17:00.000Z"],
    );
  });

  it("writes a schedule as EventBridge reads it, or says it cannot", () => {
    assert.equal(eventBridgeSchedule("17 3 * * *"), "cron(17 3 * * ? *)");
    assert.equal(eventBridgeSchedule("0 */6 1,15 * *"), "cron(0 */6 1,15 * ? *)");
    assert.equal(eventBridgeSchedule("30 2 * * 1-5"), "cron(30 2 ? * MON,TUE,WED,THU,FRI *)");
    assert.equal(eventBridgeSchedule("0 4 * * 5-7"), "cron(0 4 ? * SUN,FRI,SAT *)");
    assert.equal(eventBridgeSchedule("0 4 * * */2"), "cron(0 4 ? * SUN,TUE,THU,SAT *)");
    assert.equal(eventBridgeSchedule("0 4 1 * 1"), undefined, "cron's day-or-weekday has no EventBridge form");
  });

  it("knows an age recipient from anything else", () => {
    assert.ok(ageRecipient.safeParse(RECIPIENT).success);
    assert.ok(
      ageRecipient.safeParse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvh3k9RVxwg7RjJZb1zZ6rV0mYm0Hj admin@x").success,
    );
    for (const bad of ["age1short", "ssh-dss AAAAB3Nza", "ssh-ed25519 AAAA\nage1", `${RECIPIENT} extra`]) {
      assert.ok(!ageRecipient.safeParse(bad).success, bad);
    }
  });

  it("names backups by domain and time, so they sort by time and never mix stacks", () => {
    const name = backupName("chat.example.org", new Date("2026-12-04T03:17:00.123Z"));
    assert.equal(name, "chat.example.org-20261204T031700Z.tar.age");
    assert.equal(manifestName(name), "chat.example.org-20261204T031700Z.json");
    assert.ok(isBackupOf("chat.example.org", name));
    assert.ok(!isBackupOf("example.org", name));
    assert.ok(!isBackupOf("chat.example.org", "chat.example.org-20261204T031700Z.json"));
  });

  it("refuses the runner's bad settings, naming each variable and never a secret", () => {
    const error = (() => {
      try {
        readBackupConfig({
          BACKUP_DOMAIN: "chat.example.org",
          BACKUP_DATABASE: "mysql",
          BACKUP_SCHEDULE: "every day",
          BACKUP_RECIPIENTS: "not-a-key",
          BACKUP_FOLDER: "/var/backups/prosody",
          BACKUP_BUCKET: "also-a-bucket",
          PGPASSWORD: "hunter2-secret",
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof ProblemError);
    const fields = error.problems.map((problem) => problem.field);
    for (const field of [
      "BACKUP_DATABASE",
      "BACKUP_SCHEDULE",
      "BACKUP_RECIPIENTS (line 1)",
      "BACKUP_FOLDER / BACKUP_BUCKET",
    ]) {
      assert.ok(fields.includes(field), `${field} not named in ${fields.join(", ")}`);
    }
    assert.ok(!error.message.includes("hunter2"));
    assert.throws(
      () =>
        readBackupConfig({
          BACKUP_DOMAIN: "x.org",
          BACKUP_DATABASE: "postgresql",
          BACKUP_RECIPIENTS: RECIPIENT,
          BACKUP_FOLDER: "/b",
        }),
      /PGHOST.*not set[\s\S]*PGPASSWORD/,
    );
  });
});
