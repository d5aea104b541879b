/** Public entry point for library users. */
export * from "./catalog";
export * from "./catalog/tiers";
export * from "./catalog/compliance-suites";
export * from "./spec";
export * from "./plan";
export * from "./render";
export * from "../components";
