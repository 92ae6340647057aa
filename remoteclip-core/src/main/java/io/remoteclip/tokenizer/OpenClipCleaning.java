package io.remoteclip.tokenizer;

import java.util.Locale;

/**
 * open_clip's text cleaning for Hugging Face tokenizers ({@code HFTokenizer(clean=...)}, the {@code
 * tokenizer_kwargs} of a model config). Every variant starts with {@code basic_clean}: ftfy ({@link FtfyFixer}),
 * {@code html.unescape} twice, strip; then
 * <ul>
 *   <li>{@link #CANONICALIZE} (SigLIP): "_" to space, ASCII punctuation deleted, lower case, whitespace runs to
 *       one space;
 *   <li>{@link #LOWER}: whitespace runs to one space, lower case;
 *   <li>{@link #WHITESPACE}: whitespace runs to one space.
 * </ul>
 * Whitespace and strip are Python's ({@code str.split}, {@code str.strip}); lower case is {@code
 * toLowerCase(Locale.ROOT)}, which agrees with Python's {@code str.lower} on the golden cases.
 */
public enum OpenClipCleaning {
  CANONICALIZE,
  LOWER,
  WHITESPACE;

  /** ASCII punctuation, Python's {@code string.punctuation}. */
  static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  /** The variant of an open_clip config's {@code clean} name ("canonicalize", "lower", "whitespace"). */
  public static OpenClipCleaning of(String name) {
    for (OpenClipCleaning c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown open_clip text cleaning \"" + name
        + "\" (known: canonicalize, lower, whitespace)");
  }

  public String clean(String text) {
    String s = FtfyFixer.fixText(text);
    s = TextCleaner.pythonStrip(HtmlUnescaper.unescape(HtmlUnescaper.unescape(s)));
    switch (this) {
      case CANONICALIZE:
        return joinWords(deletePunctuation(s.replace('_', ' ')).toLowerCase(Locale.ROOT));
      case LOWER:
        return joinWords(s).toLowerCase(Locale.ROOT);
      default:
        return joinWords(s);
    }
  }

  /** {@code text.translate(str.maketrans("", "", string.punctuation))}. */
  static String deletePunctuation(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code " ".join(text.split())}: Python whitespace runs to one space, none at the ends. */
  static String joinWords(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && TextCleaner.isPythonSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !TextCleaner.isPythonSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(text, start, i);
      }
    }
    return out.toString();
  }
}
