/**
 * A list that refreshes itself must not reorder under the reader's eyes: a row they are about to click
 * would jump away. The order the reader has been looking at is held; rows that appeared are added at
 * the end, rows that went away drop out, and `moved` says the fresh order differs, so the page can offer
 * it ("show in the new order") instead of applying it. Any interaction with the list applies it.
 */
export function holdOrder(held: readonly string[] | null, fresh: readonly string[]): { order: string[]; moved: boolean } {
  if (held === null) return { order: [...fresh], moved: false };
  const present = new Set(fresh);
  const kept = held.filter((id) => present.has(id));
  const keptSet = new Set(kept);
  const order = [...kept, ...fresh.filter((id) => !keptSet.has(id))];
  return { order, moved: order.some((id, i) => id !== fresh[i]) };
}
