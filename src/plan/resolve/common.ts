/** Small helpers every step of the resolver uses. */
import { findModule, type ModuleRecord } from "../../catalog";

/** The catalog contradicts itself: a bug of ours, never the user's. */
export const internal = (message: string): never => {
  throw new Error(`catalog inconsistency: ${message}`);
};

export const recordOf = (name: string): ModuleRecord => findModule(name) ?? internal(`unknown module ${name}`);
