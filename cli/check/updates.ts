/**
 * Whether the server is up to date: the period of packages the deployed
 * image was built from (its tag carries it, components/image-builds.ts)
 * against image.refresh, so an image older than its refresh period says a
 * `pulumi up` is due. The image reference comes from --image, or from
 * `pulumi stack output image` when Pulumi's CLI is there.
 */
import { spawnSync } from "node:child_process";
import { packagesDate, packagesPeriod } from "../../src/containers/images";
import type { DeploymentPlan } from "../../src/plan/types";
import type { CheckResult } from "./report";

const NAME = "image packages";
const PERIOD = /:[^:@/]*-(\d{4})([wm])(\d{2})-[0-9a-f]{12}(@|$)/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The first day of the period a tag names: the Monday of an ISO week, or the first of a month. */
function periodStart(year: number, kind: string, number: number): Date {
  if (kind === "m") return new Date(Date.UTC(year, number - 1, 1));
  // ISO week 1 holds January 4th.
  const january4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(january4.getTime() - ((january4.getUTCDay() || 7) - 1) * DAY_MS);
  return new Date(monday.getTime() + (number - 1) * 7 * DAY_MS);
}

/** The deployed image's reference from the stack's outputs, when Pulumi's CLI can read them. */
export function stackImage(stack: string): string | undefined {
  const result = spawnSync("pulumi", ["stack", "output", "image", "--stack", stack], { encoding: "utf8" });
  if (result.status !== 0) return undefined;
  const image = result.stdout.trim();
  return image === "" ? undefined : image;
}

export function imageChecks(plan: DeploymentPlan, image: string | undefined, now: Date): CheckResult[] {
  const { refresh, hold } = plan.spec.image;
  if (image === undefined) {
    return [
      {
        group: "updates",
        name: NAME,
        status: "skip",
        detail: 'give --image "$(pulumi stack output image)" to see how old the image\'s packages are',
      },
    ];
  }
  const found = PERIOD.exec(image);
  if (refresh === "never") {
    return [
      {
        group: "updates",
        name: NAME,
        status: "warn",
        detail: `image.refresh is "never": ${image} takes in no Debian update until its files change`,
      },
    ];
  }
  if (!found) {
    return [
      {
        group: "updates",
        name: NAME,
        status: "warn",
        detail: `${image} names no week or month of packages: deployed before image.refresh; run pulumi up`,
      },
    ];
  }
  const [, year = "", kind = "", number = ""] = found;
  const built = `${year}${kind}${number}`;
  const due = packagesPeriod(refresh, packagesDate(plan, now));
  const days = Math.floor((now.getTime() - periodStart(Number(year), kind, Number(number)).getTime()) / DAY_MS);
  if (built === due) {
    const held = hold === undefined ? "" : ` (held by image.hold ${hold})`;
    return [
      { group: "updates", name: NAME, status: "pass", detail: `from ${built}, the current ${refresh} period${held}` },
    ];
  }
  return [
    {
      group: "updates",
      name: NAME,
      status: "warn",
      detail: `from ${built}, ${days} days ago; image.refresh is ${refresh}: run \`pulumi up\` to rebuild it with Debian's updates (it replaces the containers, never a volume or a database)`,
    },
  ];
}
