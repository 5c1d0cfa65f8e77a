/**
 * A span of time in at most two units ("3 d 4 h", "2 h 5 min", "45 s"): the same symbols read in
 * Portuguese and English, and a timeline needs no more precision than that.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [["d", 86_400], ["h", 3_600], ["min", 60], ["s", 1]];
  const parts: string[] = [];
  let rest = seconds;
  for (const [symbol, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${count} ${symbol}`);
    if (parts.length === 2) break;
  }
  if (parts.length === 2 && parts[1].startsWith("0 ")) parts.pop();
  return parts.length > 0 ? parts.join(" ") : "0 s";
}
