/** Deterministic stand-ins for what providers compute: the same name always gives the same value. */
import { createHash } from "node:crypto";

/** What a mock sees besides the resource: the stack's config (e.g. aws:region). */
export interface MockContext {
  config: Readonly<Record<string, unknown>>;
}

export type ResourceMock = (
  name: string,
  inputs: Record<string, unknown>,
  context: MockContext,
) => Record<string, unknown>;
export type CallMock = (inputs: Record<string, unknown>, context: MockContext) => Record<string, unknown>;

/** One provider's (or one part's) mocks: computed outputs by resource type, answers by data source token. */
export interface ProviderMocks {
  resources?: Readonly<Record<string, ResourceMock>>;
  calls?: Readonly<Record<string, CallMock>>;
  /** outputs every resource of this provider gets (e.g. AWS's arn), under the table's own */
  everyResource?: {
    provider: string;
    outputs: (type: string, name: string, context: MockContext) => Record<string, unknown>;
  };
}

export const fakeDigest = (seed: string): string => createHash("sha256").update(seed).digest("hex");

export const fakePem = (kind: string, seed: string): string =>
  `-----BEGIN ${kind}-----\nmock-${fakeDigest(`${kind}:${seed}`).slice(0, 32)}\n-----END ${kind}-----\n`;

/** A name the way Pulumi auto-names: the logical name and a suffix. */
export const autoName = (name: string): string => `${name}-${fakeDigest(name).slice(0, 7)}`;

export const fakeUuid = (seed: string): string => {
  const hex = fakeDigest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
