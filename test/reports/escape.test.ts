import { describe, expect, it } from "vitest";
import { codeSpan, csvLine, csvQuote, escapeMarkdown } from "../../reports/text/escape";

// HTML is escaped by Handlebars itself (report.test.ts checks a hostile tag value in the HTML report).
describe("escaping untrusted text", () => {
  it("CSV: formulas are neutralised, numbers and plain text untouched", () => {
    expect(csvLine(["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-12.50", "-x", "plain", 3])).toBe(`"'=HYPERLINK(""http://x"")",'+1,'@SUM(A1),-12.50,'-x,plain,3\n`);
  });

  it("CSV quoting keeps data exact", () => {
    expect(csvQuote('a,"b"')).toBe('"a,""b"""');
    expect(csvQuote("-12.5")).toBe("-12.5");
  });

  it("Markdown: no table breaks, links, HTML or emphasis", () => {
    expect(escapeMarkdown("a|b *c* [x](http://e) <img src=x> _y_\nz")).toBe("a\\|b \\*c\\* \\[x\\]\\(http\u2060://e\\) &lt;img src=x&gt; \\_y\\_ z");
    expect(escapeMarkdown("payments")).toBe("payments");
  });

  it("Markdown: autolinks, bare URLs, e-mail addresses, @mentions and #references are inert but read the same", () => {
    const hostile = "see https://evil.example/x, HTTP://X.Y, www.evil.example, mailto:a@b.co, ops@corp.example, @octocat, @org/team and #123";
    const shown = escapeMarkdown(hostile);
    expect(shown.replaceAll("\u2060", "").replaceAll("\\#", "#")).toBe(hostile);
    // What GFM's autolink extension and GitHub's filters match: a scheme followed by ":", "www.", "x@y.z", "@name", "#123".
    expect(shown).not.toMatch(/\b(https?|mailto):|\bwww\.|[\w.+-]@[\w-]|(^|[^\w])@\w|#\d/i);
  });

  it("Markdown code spans cannot be closed or split", () => {
    expect(codeSpan("cost-center")).toBe("`cost-center`");
    expect(codeSpan("a`b|c")).toBe("`a'b\\|c`");
  });

});
