package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are Python 3.11's {@code html.unescape} on the same inputs. */
class HtmlUnescaperTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "&notit;|\u00ACit;",
    "&notin;|\u2209",
    "&#x80;|\u20AC",
    "&#128|\u20AC",
    "&amp|&",
    "&ampx|&x",
    "&#0;|\uFFFD",
    "&#xD800;|\uFFFD",
    "&#1114112;|\uFFFD",
    "&#x1F600;|\uD83D\uDE00",
    "&bogus;|&bogus;",
    "&lt&gt|<>",
    "&#x9D;|\u009D",
    "&AMP;|&",
    "&;|&;",
    "&#;|&#;",
    "a &amp;amp; b|a &amp; b",
    "&NotEqualTilde;|\u2242\u0338",
    "&#65X|AX",
  })
  void matchesPython(String input, String expected) {
    assertEquals(expected, HtmlUnescaper.unescape(input));
  }

  @org.junit.jupiter.api.Test
  void invalidCodePointsVanishAndCarriageReturnIsKept() {
    assertEquals("ab", HtmlUnescaper.unescape("a&#1;b"));
    assertEquals("\r", HtmlUnescaper.unescape("&#13;"));
  }
}
