package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both SigLIP pipelines against the golden tokenizer cases of ../shared/golden/siglip-tiny (made with
 * sentencepiece 0.2.2, tokenizers 0.23.2, transformers 5.17.0, open_clip 3.3.0 and the real ftfy 6.3.1): every
 * id of all 375 cases, and tokens.npy / tokens_hf.npy from texts.json.
 */
class SentencePieceGoldenTest {
  private static Path dir;
  private static JsonNode cases;

  @BeforeAll
  static void load() throws Exception {
    dir = Fixtures.require("golden/siglip-tiny");
    cases = Json.mapper().readTree(dir.resolve("tokenizer_cases.json").toFile());
  }

  private static long[] expected(JsonNode c, String pipeline) {
    JsonNode ids = c.get(pipeline).get("ids");
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i).asLong();
    }
    return out;
  }

  /** Every case's row from {@code tokenizer} must equal the fixture's; the cases that differ are listed. */
  private static void assertAllCases(TextTokenizer tokenizer, String pipeline) {
    assertEquals(375, cases.size());
    List<String> wrong = new ArrayList<>();
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      long[] want = expected(c, pipeline);
      long[] got = tokenizer.tokenize(List.of(text), want.length)[0];
      if (!java.util.Arrays.equals(want, got)) {
        wrong.add(c.get("category").asText() + " " + text + "\n  want " + java.util.Arrays.toString(want)
            + "\n  got  " + java.util.Arrays.toString(got));
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " of 375 cases differ:\n" + String.join("\n", wrong));
  }

  @Test
  void openClipPipelineFromSpieceModelGivesEveryId() throws Exception {
    TextTokenizer t = Tokenizers.forModel(dir.resolve("spiece.model"), Tokenizers.Layout.OPEN_CLIP);
    assertEquals(64, t.contextLength());
    assertEquals(800, t.vocabSize());
    assertAllCases(t, "openclip");
  }

  @Test
  void openClipPipelineFromTokenizerJsonGivesEveryId() throws Exception {
    TextTokenizer t = Tokenizers.forModel(dir.resolve("tokenizer.json"), Tokenizers.Layout.OPEN_CLIP);
    assertAllCases(t, "openclip");
  }

  @Test
  void transformersPipelineOfTheHfDirectoryGivesEveryId() throws Exception {
    TextTokenizer t = Tokenizers.forModel(dir.resolve("hf"), Tokenizers.Layout.HUGGING_FACE);
    assertTrue(t instanceof SiglipTokenizer);
    assertEquals(64, t.contextLength());
    assertTrue(!((SiglipTokenizer) t).attentionMask(), "hf/tokenizer_config.json says input_ids only");
    // Ties between equally likely segmentations ("a" x 40, a satellite emoji x 40) are decided by float rounding,
    // which depends on the dummy-prefix node transformers 5 leaves in front of "<unk>": every id must be equal.
    assertAllCases(t, "hf");
  }

  /**
   * A config with {@code "legacy": false} encodes without the dummy
   * prefix, which moves the tie of "a" x 40: the ids are sentencepiece 0.2.2's for {@code "<unk>▁" + "a" x 40}
   * with add_dummy_prefix off (probed with the library), minus the pieces of "<unk>".
   */
  @Test
  void legacyFalseConfigEncodesWithoutTheDummyPrefix(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode config =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(dir.resolve("hf/tokenizer_config.json").toFile());
    config.put("legacy", false);
    Path file = tmp.resolve("tokenizer_config.json");
    Json.mapper().writeValue(file.toFile(), config);
    SiglipTokenizer legacyOff = SiglipTokenizer.load(dir.resolve("hf/spiece.model"), file);
    assertArrayEquals(new int[] {261, 490, 490, 490, 752, 752, 490, 490, 490, 490}, legacyOff.encode("a".repeat(40)));
    SiglipTokenizer asIs = SiglipTokenizer.load(dir.resolve("hf/spiece.model"), dir.resolve("hf/tokenizer_config.json"));
    assertArrayEquals(new int[] {261, 490, 490, 752, 752, 490, 490, 490, 490, 490}, asIs.encode("a".repeat(40)));
  }

  @Test
  void cleaningMatchesOpenClipsAndTransformersTexts() throws Exception {
    FastUnigramTokenizer oc = Tokenizers.fast(dir.resolve("spiece.model"), OpenClipCleaning.CANONICALIZE);
    SiglipTokenizer hf = SiglipTokenizer.load(dir.resolve("hf/spiece.model"), dir.resolve("hf/tokenizer_config.json"));
    List<String> wrong = new ArrayList<>();
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      if (!oc.clean(text).equals(c.get("openclip").get("clean").asText())) {
        wrong.add("open_clip: " + text + " -> " + oc.clean(text));
      }
      if (!text.contains("</s>") && !text.contains("<unk>") && !hf.canonicalize(text).equals(c.get("hf").get("clean").asText())) {
        wrong.add("transformers: " + text + " -> " + hf.canonicalize(text));
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void tokensNpyAndTokensHfNpyFromTextsJson() throws Exception {
    List<String> texts = new ArrayList<>();
    Json.mapper().readTree(dir.resolve("texts.json").toFile()).forEach(t -> texts.add(t.asText()));
    NpyArray oc = Npy.read(dir.resolve("tokens.npy"));
    NpyArray hf = Npy.read(dir.resolve("tokens_hf.npy"));
    assertArrayEquals(new int[] {texts.size(), 64}, oc.shape());
    assertArrayEquals(oc.longs(), flat(Tokenizers.forModel(dir.resolve("spiece.model"), Tokenizers.Layout.OPEN_CLIP)
        .tokenize(texts)));
    assertArrayEquals(hf.longs(), flat(Tokenizers.forModel(dir.resolve("hf"), Tokenizers.Layout.HUGGING_FACE)
        .tokenize(texts)));
  }

  private static long[] flat(long[][] rows) {
    return java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
  }
}
