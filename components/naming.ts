/**
 * Names of a ProsodyStack's children. Logical names are `${name}-<part>`, so two
 * stacks in one program never collide; physical names (what `docker ps` or the
 * cloud console shows) add the Pulumi stack, so dev and staging can share one
 * Docker engine. Both are compatibility surface: renaming one replaces the
 * resource, and for a volume that means its data.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../src/plan/types";
import { physicalNameFor } from "../src/plan/physical-names";

export const COMPONENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** What every function creating children receives: the component's name, the component, and its plan. */
export interface ChildContext {
  name: string;
  parent: pulumi.ComponentResource;
  plan: DeploymentPlan;
}

export const childName = (name: string, part: string): string => `${name}-${part}`;

/** `${name}-<part>`: the logical name of a child. */
export const child = (context: Pick<ChildContext, "name">, part: string): string => childName(context.name, part);

export const physicalName = (name: string, part: string): string => physicalNameFor(name, pulumi.getStack(), part);
