package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on the 10,500 UCM captions. The expected merges come from a separate naive Python trainer (recount
 * every pair each step, same tie rule), not from this code.
 */
class BpeTrainerTest {
  private static List<String> captions;

  @BeforeAll
  static void readCaptions() throws Exception {
    JsonNode root = new ObjectMapper().readTree(
        Fixtures.require("data/ucm-captions/dataset_ucm.json").toFile());
    captions = new ArrayList<>();
    for (JsonNode image : root.get("images")) {
      for (JsonNode s : image.get("sentences")) {
        captions.add(s.get("raw").asText());
      }
    }
  }

  @Test
  void mergesMatchIndependentReference() throws Exception {
    List<String[]> merges = new BpeTrainer().train(captions, 300, ProgressListener.NONE);
    assertEquals(300, merges.size());
    List<String> lines = merges.stream().map(m -> m[0] + " " + m[1]).collect(Collectors.toList());
    assertEquals(List.of("t h", "a n", "a r", "r o", "i t", "r e", "th e</w>", "i s</w>", "it h</w>", "w ith</w>",
        "o m", "t s</w>"), lines.subList(0, 12));
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    assertEquals("33d1b5c0f930aa7d7789a2a9447fb77570cdfc6ca99c1c51007b18c7b0e2a951", HexFormat.of().formatHex(digest));
  }

  @Test
  void inputOrderDoesNotMatter() {
    List<String> shuffled = new ArrayList<>(captions);
    Collections.shuffle(shuffled, new Random(7));
    List<String[]> a = new BpeTrainer().train(captions, 500, ProgressListener.NONE);
    List<String[]> b = new BpeTrainer().train(shuffled, 500, ProgressListener.NONE);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), "merge " + i);
    }
  }

  @Test
  void trainedVocabularyReloadsAndRoundTrips(@TempDir Path dir) throws Exception {
    List<String[]> merges = new BpeTrainer().train(captions, 1000, ProgressListener.NONE);
    Path file = dir.resolve("ucm_vocab.txt.gz");
    BpeTrainer.write(file, merges);
    ClipTokenizer tok = ClipTokenizer.load(file);
    assertEquals(512 + merges.size() + 2, tok.vocabSize());
    // Words are pieces of letters, single digits, or runs of other non-space characters; decode ends each with a space.
    Pattern piece = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+");
    long bytes = 0;
    long ids = 0;
    for (String caption : captions) {
      int[] encoded = tok.encode(caption);
      StringBuilder expected = new StringBuilder();
      Matcher m = piece.matcher(TextCleaner.clean(caption));
      while (m.find()) {
        expected.append(m.group()).append(' ');
      }
      assertEquals(expected.toString(), tok.decode(encoded), caption);
      bytes += caption.getBytes(StandardCharsets.UTF_8).length;
      ids += encoded.length;
    }
    // A 1000-merge vocabulary learned on these captions should encode them in whole words, mostly.
    assertTrue(ids * 4 < bytes, "ids " + ids + " for " + bytes + " bytes");
    List<String> written = new ArrayList<>();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(written::add);
    }
    assertEquals(merges.size() + 1, written.size());
    assertEquals(merges.get(0)[0] + " " + merges.get(0)[1], written.get(1));
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    List<String[]> merges = new BpeTrainer().train(List.of("ab ab cd"), 100, ProgressListener.NONE);
    // "ab" occurs twice (a + b</w>); "cd" once, so it is never merged.
    assertEquals(1, merges.size());
    assertArrayEquals(new String[] {"a", "b</w>"}, merges.get(0));
  }
}
