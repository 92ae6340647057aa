package io.remoteclip.tokenizer;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ftfy.fix_text} of ftfy 6.3.1 with its default settings, except mojibake repair: the text is cut after
 * each line break, and every line gets, until nothing changes, HTML entities decoded (ftfy's own rules; skipped
 * from the first line holding a '<' on), C1 controls read as Windows-1252, Latin ligatures split, full-width
 * and half-width forms made normal width, curly quotes straightened, line breaks made "\n", lone surrogates made
 * U+FFFD, terminal escapes and control characters removed, then Unicode NFC.
 *
 * <p>Not ported: {@code fix_encoding} (re-decoding text that was decoded with the wrong codec, such as "Ã©" for
 * "é", with its badness heuristic) and the byte-level fixes that belong to it. Text with such mojibake keeps it
 * here and tokenizes differently from open_clip with real ftfy; clean text, the case of every golden fixture,
 * is unaffected.
 */
final class FtfyFixer {
  private static final Pattern ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
  private static final Pattern TERMINAL_ESCAPE =
      Pattern.compile("\u001b\\[((?:\\d|;)*)([a-zA-Z])", Pattern.UNICODE_CHARACTER_CLASS);

  private FtfyFixer() {}

  static String fixText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescape = true;
    int pos = 0;
    while (pos < text.length()) {
      int newline = text.indexOf('\n', pos);
      int end = newline < 0 ? text.length() : newline + 1;
      String segment = text.substring(pos, end);
      // unescape_html="auto": a '<' means markup, and from that line on entities are left alone.
      if (unescape && segment.indexOf('<') >= 0) {
        unescape = false;
      }
      out.append(fixSegment(segment, unescape));
      pos = end;
    }
    return out.toString();
  }

  private static String fixSegment(String text, boolean unescape) {
    while (true) {
      String before = text;
      if (unescape) {
        text = unescapeHtml(text);
      }
      text = fixC1Controls(text);
      text = fixLatinLigatures(text);
      text = fixCharacterWidth(text);
      text = uncurlQuotes(text);
      text = fixLineBreaks(text);
      text = fixSurrogates(text);
      text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
      text = removeControlChars(text);
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) {
        return text;
      }
    }
  }

  /** ftfy's {@code unescape_html}: complete entities only, plus upper-cased names such as {@code &EACUTE;}. */
  static String unescapeHtml(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start()).append(entity(m.group()));
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  private static String entity(String ref) {
    String name = ref.substring(1);
    String value = HtmlUnescaper.html5Entity(name);
    if (value != null && !name.startsWith("#")) {
      return value;
    }
    if (name.startsWith("#")) {
      String unescaped = HtmlUnescaper.unescape(ref);
      return unescaped.indexOf(';') >= 0 ? ref : unescaped;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String lowerValue = HtmlUnescaper.html5Entity(lower);
    if (lowerValue != null && name.equals(lower.toUpperCase(Locale.ROOT))
        && HtmlUnescaper.unescape(ref).equals(ref)) {
      return lowerValue.toUpperCase(Locale.ROOT);
    }
    return ref;
  }

  private static String fixC1Controls(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && c <= 0x9F) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append(HtmlUnescaper.windows1252(c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static String fixLatinLigatures(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String r = ligature(c);
      if (r == null) {
        out.append(c);
      } else {
        out.append(r);
      }
    }
    return out.toString();
  }

  private static String ligature(char c) {
    switch (c) {
      case '\u0132': return "IJ";
      case '\u0133': return "ij";
      case '\u0149': return "\u02BCn";
      case '\u01F1': return "DZ";
      case '\u01F2': return "Dz";
      case '\u01F3': return "dz";
      case '\u01C4': return "D\u017D";
      case '\u01C5': return "D\u017E";
      case '\u01C6': return "d\u017E";
      case '\u01C7': return "LJ";
      case '\u01C8': return "Lj";
      case '\u01C9': return "lj";
      case '\u01CA': return "NJ";
      case '\u01CB': return "Nj";
      case '\u01CC': return "nj";
      case '\uFB00': return "ff";
      case '\uFB01': return "fi";
      case '\uFB02': return "fl";
      case '\uFB03': return "ffi";
      case '\uFB04': return "ffl";
      case '\uFB05': return "\u017Ft";
      case '\uFB06': return "st";
      default: return null;
    }
  }

  /** U+3000 becomes a space, U+FF01..U+FFEF their NFKC forms. */
  private static String fixCharacterWidth(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u3000') {
        out.append(' ');
      } else if (c >= '\uFF01' && c <= '\uFFEF') {
        out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String uncurlQuotes(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u02BC' || (c >= '\u2018' && c <= '\u201B')) {
        out.append('\'');
      } else if (c >= '\u201C' && c <= '\u201F') {
        out.append('"');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String fixLineBreaks(String text) {
    return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
        .replace('\u0085', '\n');
  }

  private static String fixSurrogates(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  private static String removeControlChars(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
          || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
      if (!control) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
