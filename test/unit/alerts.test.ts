/**
 * The alert rules' plan-dependent part (src/monitoring/alerts.ts): the backup rule exists only with
 * backups, and its limit is twice the longest gap of the schedule. promtool runs the rules
 * themselves in test/truth/alert-rules.test.ts.
 */
import { strict as assert } from "node:assert";
import { alertRules, longestGapSeconds } from "../../src/monitoring/alerts";
import { planDeployment } from "../../src/plan";
import { renderProsodyConfig } from "../../src/render";
import { parseDeploymentSpec } from "../../src/schema";

const rulesFor = (backup: Record<string, unknown>) =>
  alertRules(planDeployment(parseDeploymentSpec({ domain: "example.org", tier: "personal", backup })));

describe("alert rules from the plan", () => {
  it("measures a schedule by its longest gap: daily, weekly, and twice a day unevenly", () => {
    assert.equal(longestGapSeconds("17 3 * * *"), 86_400);
    assert.equal(longestGapSeconds("0 4 * * 1"), 7 * 86_400);
    assert.equal(longestGapSeconds("0 2,6 * * *"), 20 * 3600);
  });

  it("watches backups only where there are backups, at twice the longest gap", () => {
    assert.equal(
      rulesFor({ enabled: false }).some((rule) => rule.alert === "ProsodyBackupStale"),
      false,
    );
    const stale = rulesFor({ enabled: true, schedule: "0 4 * * 1" }).find(
      (rule) => rule.alert === "ProsodyBackupStale",
    );
    assert.ok(stale, "a backup rule with backups on");
    assert.match(stale.expr, / > 1209600$/);
    assert.match(stale.description, /at least every 168 hours/);
  });

  it("watches the upload quota only where there is one, and refuses one Prosody would not keep", () => {
    const plan = (input: Record<string, unknown>) =>
      planDeployment(parseDeploymentSpec({ domain: "example.org", tier: "personal", ...input }));
    const quota = 2 * 1024 ** 3;
    const limited = plan({ upload: { totalQuota: quota } });
    const rule = alertRules(limited).find((entry) => entry.alert === "ProsodyUploadStorageNearQuota");
    assert.match(rule?.expr ?? "", new RegExp(` > 0\\.9 \\* ${quota}$`));
    assert.match(renderProsodyConfig(limited), new RegExp(`^\\s*http_file_share_global_quota = ${quota}$`, "m"));
    assert.equal(
      alertRules(plan({})).some((entry) => entry.alert === "ProsodyUploadStorageNearQuota"),
      false,
    );
    assert.throws(
      () => plan({ uploads: "s3", upload: { totalQuota: quota, s3: { endpoint: "https://s3.example.org" } } }),
      /upload\.totalQuota \(given 2147483648\): uploads go to S3.*Fix: remove upload\.totalQuota/s,
    );
    assert.throws(
      () => plan({ prosodyVersion: "0.12", upload: { totalQuota: quota } }),
      /upload\.totalQuota \(given 2147483648\): Prosody 0\.12's http_file_share has no quota.*Fix: remove upload\.totalQuota, or set prosodyVersion: "13"/s,
    );
  });
});
