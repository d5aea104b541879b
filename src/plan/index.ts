export * from "./resolve";
export * from "./compliance";
export * from "./profile";
export { availability } from "./availability";
export { closestNames, unknownNameFix } from "./names";
export * from "./deployment";
export * from "./dns";
export * from "./advertised";
