package io.remoteclip.eval;

import java.util.Locale;

/** Caption text conventions of the reference evaluation code. */
public final class Captions {
  private Captions() {}

  /**
   * Python's {@code str.capitalize()}: the first character in title case, all others lower case
   * ("a RED car" → "A red car"). RemoteCLIP's retrieval code applies it to every caption.
   */
  public static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    int n = Character.charCount(first);
    return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
        .append(s.substring(n).toLowerCase(Locale.ROOT)).toString();
  }
}
