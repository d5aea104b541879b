/**
 * Whether the certificate renewer keeps up, where the server renews its own
 * certificate: its last attempt, renewal and failure and its next look, as it
 * notes them (status.json in its state folder, renewer/src/main.ts). Read
 * from a folder given with --renewal (the renewer's volume's mount point).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RENEWER_STATUS_FILE } from "../../renewer/src/contract";
import type { DeploymentPlan } from "../../src/plan/types";
import type { CheckResult } from "./report";

interface Status {
  lastAttempt?: string;
  lastRenewal?: string;
  lastFailure?: { at: string; reason: string };
  failuresInARow?: number;
  nextAttempt?: string;
  notAfter?: string;
}

const NAME = "certificate renewer";

export async function renewalChecks(plan: DeploymentPlan, folder: string | undefined): Promise<CheckResult[]> {
  if (plan.certificate.source !== "renewer") return [];
  if (folder === undefined) {
    return [
      {
        group: "tls",
        name: NAME,
        status: "skip",
        detail:
          "give --renewal DIR (the renewer's state volume, e.g. docker volume inspect <name>-<stack>-acme) to see its last renewal and next look",
      },
    ];
  }
  let status: Status;
  try {
    status = JSON.parse(await readFile(join(folder, RENEWER_STATUS_FILE), "utf8")) as Status;
  } catch (error) {
    return [
      { group: "tls", name: NAME, status: "fail", detail: `no status in ${folder}: ${(error as Error).message}` },
    ];
  }
  const next = `next look at ${status.nextAttempt ?? "?"}`;
  if (status.lastFailure) {
    return [
      {
        group: "tls",
        name: NAME,
        status: "fail",
        detail: `the last attempt failed at ${status.lastFailure.at} (${status.failuresInARow ?? 1} in a row): ${status.lastFailure.reason}; ${next}`,
      },
    ];
  }
  return [
    {
      group: "tls",
      name: NAME,
      status: status.lastAttempt === undefined ? "warn" : "pass",
      detail:
        status.lastAttempt === undefined
          ? "no attempt yet"
          : `last renewal ${status.lastRenewal ?? "none yet"}, certificate until ${status.notAfter ?? "?"}; ${next}`,
    },
  ];
}
