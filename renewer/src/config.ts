/**
 * The renewer's whole configuration comes from its environment
 * (renewer/README.md documents every variable). A bad value stops it at
 * start with the variable, the value and the fix; a secret's value never
 * appears in an error.
 */
import { z } from "zod";
import { problemsFromZod, ProblemError, rule } from "../../common/problems";
import { RENEWER_VARIABLES as V } from "./contract";

const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
const seconds = (fallback: number) =>
  z.coerce
    .number({ error: rule("not a number", "write a whole number of seconds") })
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(fallback);
/** "path:uid:gid:name": a folder the pair is written to as <name>.crt and <name>.key, and who owns them. */
const folder = z
  .string()
  .regex(/^\/[^\0\s:]*:\d{1,10}:\d{1,10}:[a-z0-9.-]{1,253}$/, {
    error: rule("not a folder", "write /path:uid:gid:name, e.g. /etc/prosody/certs:100:102:chat.example.org"),
  })
  .transform((entry) => {
    const [path = "", uid = "0", gid = "0", name = ""] = entry.split(":");
    return { path, uid: Number(uid), gid: Number(gid), name };
  });
const service = z
  .string()
  .regex(/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255} [A-Za-z0-9_-]{1,255}$/, {
    error: rule("not a cluster and service", "write the cluster's ARN and the service's name, separated by a space"),
  })
  .transform((entry) => {
    const [cluster = "", name = ""] = entry.split(" ");
    return { cluster, name };
  });

const environmentSchema = z
  .object({
    [V.domains]: z
      .string()
      .transform((text) => text.split(/\s+/).filter(Boolean))
      .pipe(z.array(hostName).min(1, { error: rule("names no host", "give the host names, separated by spaces") })),
    [V.directory]: z.url({ protocol: /^https$/, error: rule("not an https URL", "give the ACME directory's URL") }),
    [V.dnsProvider]: z.enum(["route53", "cloudflare"], {
      error: rule("not a DNS provider the renewer can use", 'set "route53" or "cloudflare"'),
    }),
    [V.renewDaysBefore]: z.coerce.number().int().min(1).max(100_000).default(30),
    [V.checkSeconds]: seconds(12 * 3600),
    [V.retrySeconds]: seconds(15 * 60),
    [V.store]: z.enum(["folders", "aws-secret"], { error: rule("not a store", 'set "folders" or "aws-secret"') }),
    [V.folders]: z
      .string()
      .optional()
      .transform((text) => (text ?? "").split(/\s+/).filter(Boolean))
      .pipe(z.array(folder)),
    [V.secretId]: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:/)
      .optional(),
    [V.services]: z
      .string()
      .optional()
      .transform((text) =>
        (text ?? "")
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(service)),
    [V.cloudflareToken]: z.string().min(1).optional(),
  })
  .superRefine((environment, context) => {
    const need = (when: boolean, variable: string, fix: string) => {
      if (when) context.addIssue({ code: "custom", path: [variable], message: rule("required here", fix) });
    };
    const folders = environment[V.store] === "folders";
    need(folders && environment[V.folders].length === 0, V.folders, "give where the pair goes, /path:uid:gid:name");
    need(!folders && environment[V.secretId] === undefined, V.secretId, "give the TLS secret's ARN");
    need(
      environment[V.dnsProvider] === "cloudflare" && environment[V.cloudflareToken] === undefined,
      V.cloudflareToken,
      "give a Cloudflare API token allowed to edit DNS in the zone",
    );
  });

export type Store =
  | { kind: "folders"; folders: { path: string; uid: number; gid: number; name: string }[] }
  | { kind: "aws-secret"; secretId: string; services: { cluster: string; name: string }[] };

export interface RenewerConfig {
  domains: string[];
  directory: string;
  dnsProvider: "route53" | "cloudflare";
  renewDaysBefore: number;
  checkSeconds: number;
  retrySeconds: number;
  store: Store;
  cloudflareToken?: string;
}

/** The configuration, or a ProblemError naming each bad variable (never a secret's value). */
export function readRenewerConfig(environment: NodeJS.ProcessEnv = process.env): RenewerConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = problemsFromZod(parsed.error, environment).map((problem) =>
      problem.field === V.cloudflareToken ? { ...problem, value: undefined } : problem,
    );
    throw new ProblemError(problems, "the renewer's settings are not usable");
  }
  const e = parsed.data;
  return {
    domains: e[V.domains],
    directory: e[V.directory],
    dnsProvider: e[V.dnsProvider],
    renewDaysBefore: e[V.renewDaysBefore],
    checkSeconds: e[V.checkSeconds],
    retrySeconds: e[V.retrySeconds],
    store:
      e[V.store] === "folders"
        ? { kind: "folders", folders: e[V.folders] }
        : { kind: "aws-secret", secretId: e[V.secretId] ?? "", services: e[V.services] },
    ...(e[V.cloudflareToken] === undefined ? {} : { cloudflareToken: e[V.cloudflareToken] }),
  };
}
