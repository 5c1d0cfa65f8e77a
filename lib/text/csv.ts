/**
 * CSV as every export of Sentinela writes it (RFC 4180: CRLF line ends, every field quoted, quotes
 * doubled). A text cell that starts like a formula (= + - @, tab, CR) gets a leading apostrophe:
 * names are typed by tenant admins and must never run as formulas in whoever opens the file. Numbers
 * are written as they are (a negative number is not a formula), null as an empty field.
 */

export type CsvValue = string | number | null;

export function csvCell(value: CsvValue): string {
  if (value === null) return '""';
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** A header line and one line per row, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** A file name any browser and file system takes: accents dropped, spaces as "-", nothing but [A-Za-z0-9._-]. */
export function safeFilename(name: string): string {
  return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, "-").replace(/[^\w.-]/g, "_");
}

/** The response a CSV export answers with: a download named `filename` (made safe), never cached. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${safeFilename(filename)}"`,
      "cache-control": "no-store",
    },
  });
}
