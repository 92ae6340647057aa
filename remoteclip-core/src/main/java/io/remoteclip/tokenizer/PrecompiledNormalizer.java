package io.remoteclip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face tokenizers' {@code Precompiled} normalizer, which applies a SentencePiece character map
 * differently from sentencepiece itself ({@link SentencePieceNormalizer}): the text is cut into extended
 * grapheme clusters; a cluster shorter than 6 UTF-8 bytes is replaced whole by the rule of the <em>shortest</em>
 * key that is a prefix of it (even when that key covers only its first character), otherwise each character is
 * looked up alone. No whitespace handling: that is the pre-tokenizer's. Immutable.
 */
final class PrecompiledNormalizer {
  private static final Pattern GRAPHEME = Pattern.compile("\\X");

  private final CharsMap map;

  PrecompiledNormalizer(CharsMap map) {
    this.map = map;
  }

  String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    Matcher m = GRAPHEME.matcher(text);
    while (m.find()) {
      String grapheme = m.group();
      byte[] g = Utf8.encode(grapheme);
      if (g.length < 6) {
        long hit = map.shortestPrefix(g, 0, g.length);
        if (hit >= 0) {
          out.append(replacement(hit));
          continue;
        }
      }
      for (int i = 0; i < grapheme.length(); ) {
        int cp = grapheme.codePointAt(i);
        int next = i + Character.charCount(cp);
        byte[] c = Utf8.encode(grapheme.substring(i, next));
        long hit = map.shortestPrefix(c, 0, c.length);
        if (hit >= 0) {
          out.append(replacement(hit));
        } else {
          out.append(grapheme, i, next);
        }
        i = next;
      }
    }
    return out.toString();
  }

  private String replacement(long hit) {
    return new String(map.replacement((int) hit), StandardCharsets.UTF_8);
  }
}
