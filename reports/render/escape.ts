// Escaping for every format untrusted text (tag values, resource names) lands in.

/** RFC 4180 quoting: data files keep values exactly as they are. */
export function csvQuote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A CSV cell for people's spreadsheets: text starting with = + - @ (or tab/CR) is prefixed with a quote
 * so Excel and Sheets do not run it as a formula (OWASP CSV injection). Numbers pass through untouched.
 */
export function csvSafeCell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const neutralised = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return csvQuote(neutralised);
}

export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvSafeCell).join(",")}\n`;
}

/** Text safe inside Markdown, including table cells: no formatting, links, HTML or column breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`));
}

/** Inline code in Markdown: a backtick inside would end the span, so it becomes a quote; a pipe would end a table cell even there. */
export function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")}\``;
}
