package io.remoteclip.tokenizer;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * open_clip's text cleaning before BPE: {@code ftfy.fix_text}, {@code html.unescape} twice, strip, collapse
 * whitespace, strip, lower-case.
 *
 * <p>ftfy is not ported. In its place the text is put in Unicode NFC, which is the part of ftfy's work that
 * changes ordinary input; mojibake repair, curly-quote straightening, full-width and ligature folding are not
 * done, so such texts can tokenize differently from open_clip with real ftfy. Whitespace is Unicode
 * whitespace ({@code U+00A0}, {@code U+2003}, ... count, as in Python's {@code regex} {@code \s}); strip uses
 * Python's {@code str.isspace}; lower-casing is {@code toLowerCase(Locale.ROOT)}, which agrees with Python's
 * {@code str.lower} on the golden cases (final sigma, dotted capital I).
 */
public final class TextCleaner {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private TextCleaner() {}

  public static String clean(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFC);
    s = pythonStrip(HtmlUnescaper.unescape(HtmlUnescaper.unescape(s)));
    s = pythonStrip(WHITESPACE.matcher(s).replaceAll(" "));
    return s.toLowerCase(Locale.ROOT);
  }

  /** Python's {@code str.strip()}: removes characters for which {@code str.isspace()} is true. */
  static String pythonStrip(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && isPythonSpace(s.charAt(begin))) {
      begin++;
    }
    while (end > begin && isPythonSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(begin, end);
  }

  static boolean isPythonSpace(char c) {
    return (c >= 0x09 && c <= 0x0D)
        || (c >= 0x1C && c <= 0x20)
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }
}
