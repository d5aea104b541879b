/**
 * Names of the objects other objects find by name (Services, claims, the
 * Certificate's Secret, the CloudNativePG cluster): physicalName, as on
 * Docker, kept within Kubernetes' 63 characters (src/plan/physical-names.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterNameFor } from "../../../src/plan/physical-names";

export const clusterName = (name: string, part: string): string => clusterNameFor(name, pulumi.getStack(), part);
