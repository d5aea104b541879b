export * from "./resolve";
export * from "./compliance";
export * from "./profile";
export { availability } from "./availability";
export { closestNames, unknownNameFix } from "./module-lookup";
export * from "./plan-deployment";
export * from "./dns";
export * from "./expected-advertisements";
