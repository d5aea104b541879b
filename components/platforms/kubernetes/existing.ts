/**
 * Resources of the caller's that the Kubernetes platform uses instead of
 * creating its own; each may be another resource's output.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Problem, problemsFromZod, ProblemError } from "../../../common/problems";

export interface ExistingKubernetesResources {
  /** A PostgreSQL server of yours instead of a CloudNativePG cluster; give secrets.databasePassword too. */
  database?: {
    /** host name Prosody connects to, e.g. a Service: main-rw.databases.svc */
    host: pulumi.Input<string>;
  };
}

const HOST = /^[A-Za-z0-9.-]{1,253}$/;

/** Problems with the plain values among the existing resources. */
export function checkExistingKubernetes(existing: ExistingKubernetesResources): Problem[] {
  const host = existing.database?.host;
  if (typeof host !== "string" || HOST.test(host)) return [];
  return [
    {
      field: "existing.kubernetes.database.host",
      value: JSON.stringify(host),
      message: "not a host name",
      fix: "give the database's Service name or address, e.g. main-rw.databases.svc",
    },
  ];
}

const existingConfigSchema = z.strictObject({ database: z.strictObject({ host: z.string() }).optional() });

/** The `prosody:existing.kubernetes` stack config, as plain strings. */
export function parseExistingKubernetesConfig(value: unknown, prefix: string): ExistingKubernetesResources {
  const parsed = existingConfigSchema.safeParse(value);
  if (!parsed.success) throw new ProblemError(problemsFromZod(parsed.error, value, prefix), "invalid stack config");
  return parsed.data;
}
