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

/** U+2060 WORD JOINER: invisible, so the text reads and prints the same. */
const WORD_JOINER = "\u2060";

/**
 * GitHub links URLs, e-mail addresses, @mentions and #references in the text it has already rendered, so a
 * backslash cannot stop them. A word joiner after each scheme (`https`, `mailto`, ...), after `www`, and after
 * every `@` and `#` breaks what the GFM autolink extension and GitHub's mention and reference filters match.
 */
function inert(text: string): string {
  return text
    .replace(/\b(https?|ftp|mailto|xmpp)(?=:)/gi, `$1${WORD_JOINER}`)
    .replace(/\b(www)(?=\.)/gi, `$1${WORD_JOINER}`)
    .replace(/[@#]/g, (c) => `${c}${WORD_JOINER}`);
}

/** Text safe inside Markdown, including table cells: no formatting, links, mentions, HTML or column breaks. */
export function escapeMarkdown(text: string): string {
  return inert(
    text
      .replace(/[\r\n]+/g, " ")
      .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`)),
  );
}

/** Inline code in Markdown: a backtick inside would end the span, so it becomes a quote; a pipe would end a table cell even there. */
export function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")}\``;
}
