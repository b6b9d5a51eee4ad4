/**
 * The shared text rules (lib/text) and the registrable-site schema: what a person will read is
 * refused at input when it could lie, and neutralised at output whatever it holds.
 */
import { describe, expect, it } from "vitest";
import { RegistrableSiteSchema } from "../../lib/protocol/site-name";
import { neutralizeText } from "../../lib/text/neutralize-text";
import { SafeText } from "../../lib/text/safe-text";
import { isWellFormed } from "../../lib/text/unsafe-characters";

/** One of each kind a terminal, a bidi renderer or UTF-8 storage would act on. */
const HOSTILE = {
  nul: "a\u0000b",
  bell: "a\u0007b",
  ansi: "\u001b[31mred\u001b[0m",
  osc8: "\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007",
  del: "a\u007fb",
  c1Csi: "a\u009b2Jb",
  c1Nel: "a\u0085b",
  rlo: "Bank \u202Egnp.exe",
  lri: "a\u2066b\u2069",
  alm: "a\u061cb",
  rlm: "a\u200fb",
  lineSeparator: "a\u2028b",
  carriageReturn: "a\rb",
  loneHigh: "ref\ud800",
  loneLow: "\udc00ref",
};

describe("SafeText", () => {
  it("refuses every control, bidi, separator and lone-surrogate character on one line and in several", () => {
    for (const [kind, text] of Object.entries(HOSTILE)) {
      expect(SafeText(80).safeParse(text).success, kind).toBe(false);
      expect(SafeText(80, { isMultiline: true }).safeParse(text).success, kind).toBe(false);
    }
  });

  it("allows newline and tab only in multi-line text, and keeps emoji and joiners", () => {
    expect(SafeText(80).safeParse("two\nlines").success).toBe(false);
    expect(SafeText(80, { isMultiline: true }).parse("two\nlines\tok")).toBe("two\nlines\tok");
    expect(SafeText(80).parse("👩‍💻 Statements agent")).toBe("👩‍💻 Statements agent");
  });

  it("normalises to NFC, so the same name is the same string however it was typed", () => {
    const decomposed = "Cafe\u0301";
    expect(SafeText(80).parse(decomposed)).toBe("Caf\u00e9");
  });
});

describe("neutralizeText", () => {
  it("replaces every unsafe character with U+FFFD and leaves ordinary text alone", () => {
    for (const [kind, text] of Object.entries(HOSTILE)) {
      const shown = neutralizeText(text);
      expect(shown, kind).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
      expect(isWellFormed(shown), kind).toBe(true);
      expect(shown, kind).toContain("\ufffd");
    }
    expect(neutralizeText("Bank \u202Egnp.exe")).toBe("Bank \ufffdgnp.exe");
    expect(neutralizeText("Ünïcödé 👍 <b>")).toBe("Ünïcödé 👍 <b>");
    expect(neutralizeText("a\nb", true)).toBe("a\nb");
    expect(neutralizeText("a\nb")).toBe("a\ufffdb");
  });
});

describe("RegistrableSiteSchema", () => {
  it("refuses public suffixes, ICANN and private, with the reason", () => {
    for (const suffix of ["com", "co.uk", "github.io", "uk", "appspot.com", "foo"]) {
      const parsed = RegistrableSiteSchema.safeParse(suffix);
      expect(parsed.success, suffix).toBe(false);
      expect(parsed.error?.issues[0].message, suffix).toMatch(/public suffix/);
    }
  });

  it("refuses IP literals, single labels, names inside a site and anything that is not a bare host", () => {
    const refused = {
      "127.0.0.1": /IP address/,
      "[::1]": /IP address/,
      "::ffff:7f00:1": /IP address/,
      test: /single label/,
      "login.idp.example": /inside a registrable domain/,
      "https://idp.example": /bare host name/,
      "idp.example:443": /bare host name/,
      "user@idp.example": /bare host name/,
    };
    for (const [name, reason] of Object.entries(refused)) {
      const parsed = RegistrableSiteSchema.safeParse(name);
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0].message, name).toMatch(reason);
    }
  });

  it("accepts registrable domains (private suffixes counted) in lower case, and localhost for loopback fixtures", () => {
    expect(RegistrableSiteSchema.parse(" IdP.Example ")).toBe("idp.example");
    expect(RegistrableSiteSchema.parse("a.github.io")).toBe("a.github.io");
    expect(RegistrableSiteSchema.parse("example.co.uk")).toBe("example.co.uk");
    expect(RegistrableSiteSchema.parse("localhost")).toBe("localhost");
  });
});
