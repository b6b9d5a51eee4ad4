/** The consent screen's reading of `xn--` host names agrees with Node's own IDNA decoder. */
import { domainToUnicode } from "node:url";
import { expect, it } from "vitest";
import { hostToUnicode } from "../../components/handoff/punycode";

it("reads punycode labels as the letters they stand for, like Node's decoder", () => {
  for (const host of ["bänk.example", "пример.рф", "例え.テスト", "münchen.de", "аррӏе.com", "😀.example", "login.bank.example"]) {
    const ascii = new URL(`http://${host}`).hostname;
    expect(hostToUnicode(ascii), ascii).toBe(domainToUnicode(ascii));
  }
});

it("leaves a malformed xn-- label as it is", () => {
  expect(hostToUnicode("xn--zz-.example")).toBe("xn--zz-.example");
  expect(hostToUnicode("xn--99999999999.example")).toBe("xn--99999999999.example");
});
