export * from "./backup";
export * from "./description";
export * from "./gateway";
export * from "./images";
export * from "./ports";
export * from "./prosody";
export * from "./secrets";
