export * from "./accounts.ts";
export * from "./actors.ts";
export * from "./follows.ts";
export * from "./interactions.ts";
export * from "./items.ts";
export * from "./queue.ts";
export * from "./rate-limits.ts";
export * from "./users.ts";
