/** "Did you mean": the known word closest to a mistyped one, when it is close enough to be what was meant. */
import { distance } from "fastest-levenshtein";

/** How far a word may be from the one meant: a third of its length, at least two edits. */
export const nearEnough = (word: string): number => Math.max(2, Math.floor(word.length / 3));

export function closestWord(
  word: string,
  known: readonly string[],
  { maxDistance = nearEnough(word), ignoreCase = false }: { maxDistance?: number; ignoreCase?: boolean } = {},
): string | undefined {
  const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  const [best] = known
    .map((candidate) => ({ candidate, score: distance(fold(word), fold(candidate)) }))
    .filter(({ score }) => score <= maxDistance)
    .sort((a, b) => a.score - b.score);
  return best?.candidate;
}
