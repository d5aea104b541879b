/**
 * Fields of the component's arguments (the spec and `existing`) that were
 * renamed or removed, and what to write instead: one table, so an old stack
 * file or program is refused by the old name with the new one, never silently
 * ignored (the idea of NixOS's mkRenamedOptionModule and mkRemovedOptionModule).
 * Paths are dotted from the arguments' top, as a stack file writes them after
 * `prosody:`.
 */
import { describeValue, type Problem } from "../../common/problems";

export interface RenamedField {
  /** the old path */
  from: string;
  /** the path that holds the same value now */
  to: string;
  /** the version of the package that renamed it */
  since: string;
}

export interface RemovedField {
  field: string;
  /** why it went, and what to do instead */
  why: string;
  since: string;
}

export const RENAMED_FIELDS: readonly RenamedField[] = [
  // existing was keyed by platform
  { from: "existing.vpc", to: "existing.aws.vpc", since: "0.1.0" },
  { from: "existing.clusterArn", to: "existing.aws.clusterArn", since: "0.1.0" },
  { from: "existing.database", to: "existing.aws.database", since: "0.1.0" },
  { from: "existing.hostedZoneId", to: "existing.route53.hostedZoneId", since: "0.1.0" },
  // the hosted zone belongs to the route53 DNS provider, which every platform may use
  { from: "existing.aws.hostedZoneId", to: "existing.route53.hostedZoneId", since: "0.1.0" },
];

export const REMOVED_FIELDS: readonly RemovedField[] = [];

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The value at a dotted path, and whether it is there at all. */
function at(input: unknown, path: string): { present: boolean; value?: unknown } {
  let value = input;
  for (const key of path.split(".")) {
    if (!isTable(value) || !Object.hasOwn(value, key)) return { present: false };
    value = value[key];
  }
  return { present: true, value };
}

/** Every renamed or removed field the input still writes, each naming what to write instead. */
export function renamedFieldProblems(input: unknown, prefix = ""): Problem[] {
  const renamed = RENAMED_FIELDS.flatMap(({ from, to, since }) => {
    const found = at(input, from);
    if (!found.present) return [];
    const value = describeValue(found.value);
    return [
      {
        field: `${prefix}${from}`,
        ...(value === undefined ? {} : { value }),
        message: `renamed to ${to} in ${since}`,
        fix: `write it as ${prefix}${to}`,
      },
    ];
  });
  const removed = REMOVED_FIELDS.flatMap(({ field, why, since }) =>
    at(input, field).present
      ? [{ field: `${prefix}${field}`, message: `removed in ${since}`, fix: `remove it: ${why}` }]
      : [],
  );
  return [...renamed, ...removed];
}
