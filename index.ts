/** Public entry point for library users. */
export * from "./src/catalog";
export * from "./src/catalog/tiers";
export * from "./src/catalog/compliance-suites";
export * from "./src/schema";
export * from "./src/plan";
export * from "./src/render";
export * from "./components";
