/**
 * The alert rules' plan-dependent part (src/monitoring/alerts.ts): the backup rule exists only with
 * backups, and its limit is twice the longest gap of the schedule. promtool runs the rules
 * themselves in test/truth/alert-rules.test.ts.
 */
import { strict as assert } from "node:assert";
import { alertRules, longestGapSeconds } from "../../src/monitoring/alerts";
import { planDeployment } from "../../src/plan";
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
});
