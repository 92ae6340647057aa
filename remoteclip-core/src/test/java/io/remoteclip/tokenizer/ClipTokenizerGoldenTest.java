package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every case of golden/tokenizer/ (open_clip 2.20's tokenize and decode), exactly. */
class ClipTokenizerGoldenTest {
  private static ClipTokenizer tokenizer;
  private static JsonNode cases;

  @BeforeAll
  static void load() throws Exception {
    Path dir = Fixtures.require("golden/tokenizer");
    tokenizer = ClipTokenizer.load(dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
    cases = new ObjectMapper().readTree(dir.resolve("cases.json").toFile());
  }

  @Test
  void vocabularyHasClipSize() {
    assertEquals(49408, tokenizer.vocabSize());
    assertEquals(49406, tokenizer.startOfTextId());
    assertEquals(49407, tokenizer.endOfTextId());
    assertEquals(77, tokenizer.contextLength());
  }

  @Test
  void allTokenizeCasesExact() {
    assertEquals(344, cases.size());
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      long[] expected = new long[77];
      for (int i = 0; i < 77; i++) {
        expected[i] = c.get("tokens").get(i).asLong();
      }
      long[] actual = tokenizer.tokenize(List.of(text))[0];
      int nBpe = tokenizer.encode(text).length;
      if (!java.util.Arrays.equals(expected, actual) || nBpe != c.get("n_bpe").asInt()) {
        failures.add(c.get("category").asText() + " " + text + " -> " + java.util.Arrays.toString(actual)
            + " n_bpe=" + nBpe);
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of 344 cases differ:\n" + String.join("\n", failures));
  }

  @Test
  void allDecodeCasesExact() throws Exception {
    JsonNode decodeCases = new ObjectMapper().readTree(
        Fixtures.require("golden/tokenizer/decode_cases.json").toFile());
    assertEquals(10, decodeCases.size());
    for (JsonNode c : decodeCases) {
      int[] ids = new int[c.get("ids").size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = c.get("ids").get(i).asInt();
      }
      assertEquals(c.get("decoded").asText(), tokenizer.decode(ids), c.get("note").asText());
    }
  }

  @Test
  void truncatedRowsEndWithEndOfText() {
    String longText = "a large parking lot with many cars ".repeat(20);
    long[] row = tokenizer.tokenize(List.of(longText))[0];
    assertEquals(49406, row[0]);
    assertEquals(49407, row[76]);
    long[] six = tokenizer.tokenize(List.of(longText), 6)[0];
    assertArrayEquals(new long[] {49406, row[1], row[2], row[3], row[4], 49407}, six);
  }

  @Test
  void concurrentUseGivesTheSameRows() throws Exception {
    List<String> texts = new ArrayList<>();
    for (JsonNode c : cases) {
      texts.add(c.get("text").asText());
    }
    long[][] expected = ClipTokenizer.load(
        Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz")).tokenize(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<long[][]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> tokenizer.tokenize(texts)));
      }
      for (Future<long[][]> f : results) {
        assertArrayEquals(expected, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
