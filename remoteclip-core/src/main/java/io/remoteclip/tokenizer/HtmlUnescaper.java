package io.remoteclip.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Entities;

/**
 * Python's {@code html.unescape}, reproduced exactly: HTML5 named references (all 2231 of the WHATWG table,
 * the 106 legacy ones also without ';', and the longest legacy prefix of an unknown name, so {@code &notit;}
 * gives {@code ¬it;}), decimal and hex references with the HTML5 replacements (Windows-1252 for 0x80..0x9F,
 * U+FFFD for 0, surrogates and values above U+10FFFF, nothing for other invalid code points).
 *
 * <p>The entity table comes from jsoup's {@link Entities} (checked equal to Python 3.11's {@code
 * html.entities.html5}); the matching rules are Python's, not jsoup's parser's.
 */
public final class HtmlUnescaper {
  private static final Pattern CHARREF =
      Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

  /** HTML5's replacements for numeric references 0x80..0x9F (Windows-1252; undefined bytes stay as they are). */
  private static final char[] C1_REPLACEMENTS = {
    '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
    '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
    '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
    '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178'
  };

  private HtmlUnescaper() {}

  public static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = CHARREF.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    while (m.find()) {
      out.append(s, last, m.start());
      out.append(replace(m.group(1)));
      last = m.end();
    }
    return out.append(s, last, s.length()).toString();
  }

  /** Windows-1252's character for a C1 byte 0x80..0x9F, the five bytes it leaves undefined kept as they are. */
  static char windows1252(int c1) {
    return C1_REPLACEMENTS[c1 - 0x80];
  }

  /** Python's {@code html.entities.html5} value of {@code name} (with its ';', if it has one), or null. */
  static String html5Entity(String name) {
    return lookup(name);
  }

  private static String replace(String ref) {
    if (ref.charAt(0) == '#') {
      return numeric(ref);
    }
    String whole = lookup(ref);
    if (whole != null) {
      return whole;
    }
    for (int x = ref.length() - 1; x > 1; x--) {
      String prefix = lookup(ref.substring(0, x));
      if (prefix != null) {
        return prefix + ref.substring(x);
      }
    }
    return "&" + ref;
  }

  /** Value of an entity name as Python's html5 table keys it: with ';' any HTML5 name, without only legacy ones. */
  private static String lookup(String key) {
    if (key.endsWith(";")) {
      String name = key.substring(0, key.length() - 1);
      return Entities.isNamedEntity(name) ? Entities.getByName(name) : null;
    }
    return Entities.isBaseNamedEntity(key) ? Entities.getByName(key) : null;
  }

  private static String numeric(String ref) {
    boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
    String digits = ref.substring(hex ? 2 : 1);
    if (digits.endsWith(";")) {
      digits = digits.substring(0, digits.length() - 1);
    }
    // Long values beyond U+10FFFF all behave the same, so saturate instead of using big integers.
    long num = 0;
    for (int i = 0; i < digits.length(); i++) {
      num = num * (hex ? 16 : 10) + Character.digit(digits.charAt(i), hex ? 16 : 10);
      if (num > 0x10FFFF) {
        return "\uFFFD";
      }
    }
    int cp = (int) num;
    if (cp == 0) {
      return "\uFFFD";
    }
    if (cp == 0x0D) {
      return "\r";
    }
    if (cp >= 0x80 && cp <= 0x9F) {
      return String.valueOf(C1_REPLACEMENTS[cp - 0x80]);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return "\uFFFD";
    }
    if (isInvalidCodePoint(cp)) {
      return "";
    }
    return new String(Character.toChars(cp));
  }

  private static boolean isInvalidCodePoint(int cp) {
    return (cp >= 0x1 && cp <= 0x8)
        || cp == 0xB
        || (cp >= 0xE && cp <= 0x1F)
        || (cp >= 0x7F && cp <= 0x9F)
        || (cp >= 0xFDD0 && cp <= 0xFDEF)
        || (cp & 0xFFFE) == 0xFFFE;
  }
}
