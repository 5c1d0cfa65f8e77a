import { describe, expect, it } from "vitest";
import { csvCell, csvResponse, safeFilename, toCsv } from "@/lib/text/csv";

describe("csvCell", () => {
  it("quotes every cell and doubles quotes", () => {
    expect(csvCell('Recepção "1", térreo')).toBe('"Recepção ""1"", térreo"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(0.9987)).toBe('"0.9987"');
  });

  it.each(["=HYPERLINK(\"http://x\")", "+5511", "-2+3", "@SUM(A1)", "\tx", "\rx"])("defuses %j as a formula", (text) => {
    expect(csvCell(text)).toMatch(/^"'/);
  });

  it("writes a negative number as a number", () => {
    expect(csvCell(-3)).toBe('"-3"');
  });
});

describe("toCsv", () => {
  it("ends every line, the last too, with CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"], [null, "y"]])).toBe('"a","b"\r\n"1","x"\r\n"","y"\r\n');
    expect(toCsv(["a"], [])).toBe('"a"\r\n');
  });
});

describe("csvResponse", () => {
  it("is a download with a name any file system takes, never cached", () => {
    const response = csvResponse("x", "transitions-Recepção Mar Azul/../\"x\"-2026.csv");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="transitions-Recepcao-Mar-Azul_..__x_-2026.csv"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(safeFilename("a\r\nb")).toBe("a-b");
  });
});
