/**
 * The time image builds are made for, fixed for the unit tests and the golden
 * files (SOURCE_DATE_EPOCH, which components/image-builds.ts reads): image
 * tags carry the week of their packages, and a test must not see them change
 * because it ran on a Monday. Loaded by .mocharc.json and scripts/golden.ts;
 * a value already set (a reproducible build's) is kept.
 */

/** Monday 2026-12-07, 00:00 UTC: ISO week 2026w50. */
export const FIXED_BUILD_TIME = "1796601600";

process.env.SOURCE_DATE_EPOCH ??= FIXED_BUILD_TIME;
