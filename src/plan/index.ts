/** The plan: one spec's resolved, deterministic picture of the server, and the module resolver it runs. */
export * from "./resolve";
export { availability } from "./availability";
export { closestNames, unknownNameFix } from "./module-lookup";
export { planDeployment } from "./plan-deployment";
export type * from "./types";
export { ENV } from "./environment";
export { COMPONENT_HOSTS } from "./xmpp-components";
export { DEFAULT_BUCKET, storeFolderName } from "./uploads";
export * from "./dns";
export * from "./expected-advertisements";
