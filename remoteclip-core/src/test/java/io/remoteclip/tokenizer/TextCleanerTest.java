package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.testing.Fixtures;
import org.junit.jupiter.api.Test;

class TextCleanerTest {
  @Test
  void unescapesTwiceCollapsesUnicodeWhitespaceAndLowercases() {
    assertEquals("at&t tower", TextCleaner.clean("  AT&amp;amp;T\u00A0\u2003 Tower\t\n"));
    assertEquals("a b", TextCleaner.clean("A&nbsp;&nbsp;B"));
  }

  @Test
  void stripsWhatPythonStripsEvenWhenItIsNotRegexWhitespace() {
    // U+001C..U+001F are str.isspace() in Python but not Unicode White_Space.
    assertEquals("x", TextCleaner.clean("\u001Cx\u001F"));
  }

  @Test
  void decomposedTextIsComposedLikeFtfyWould() throws Exception {
    ClipTokenizer tok = ClipTokenizer.load(Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz"));
    assertEquals("café", TextCleaner.clean("Cafe\u0301"));
    assertArrayEquals(tok.encode("café"), tok.encode("cafe\u0301"));
  }
}
