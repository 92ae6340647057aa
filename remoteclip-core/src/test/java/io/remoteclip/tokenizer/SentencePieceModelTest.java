package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SentencePiece models this test writes itself: segmentation worked out by hand, and refused files. */
class SentencePieceModelTest {
  @TempDir Path dir;

  /** ids 0-2 specials; 3 "▁" -2; 4 "▁a" -1; 5 "a" -3; 6 "b" -3; 7 "ab" -2.5; 8 "▁ab" -6; 9 "<sep>" user-defined. */
  private SpieceWriter small() {
    return new SpieceWriter().specials().normal("\u2581", -2f).normal("\u2581a", -1f).normal("a", -3f)
        .normal("b", -3f).normal("ab", -2.5f).normal("\u2581ab", -6f).piece("<sep>", 0f, 4);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private int[] encode(SpieceWriter w, String text) throws Exception {
    SentencePieceModel m = SentencePieceModel.parse(w.bytes(), "test");
    return new SentencePieceEncoder(m, m.addDummyPrefix()).encode(text);
  }

  @Test
  void viterbiPicksTheMostLikelySegmentation() throws Exception {
    // "▁ab": ▁a + b = -4 beats ▁ + ab = -4.5, ▁ab = -6 and ▁ + a + b = -8.
    assertArrayEquals(new int[] {4, 6}, encode(small(), "ab"));
    // Leading, trailing and repeated spaces go; each word gets its "▁".
    assertArrayEquals(new int[] {4, 3, 6}, encode(small(), "  a   b "));
    assertArrayEquals(new int[0], encode(small(), "   "));
  }

  @Test
  void unknownRunsBecomeOneUnkWithoutByteFallbackAndBytesWithIt() throws Exception {
    assertArrayEquals(new int[] {4, 2, 6}, encode(small(), "a\u00E9\u00E9b"));
    SpieceWriter bytes = small().bytePieces();
    // byte pieces are ids 10..265: é is C3 A9.
    assertArrayEquals(new int[] {4, 10 + 0xC3, 10 + 0xA9, 10 + 0xC3, 10 + 0xA9, 6}, encode(bytes, "a\u00E9\u00E9b"));
  }

  @Test
  void userDefinedSymbolsAreKeptWhole() throws Exception {
    assertArrayEquals(new int[] {4, 9, 6}, encode(small(), "a<sep>b"));
  }

  @Test
  void transformersPipelineFramesWithEndAndPadding() throws Exception {
    Path model = write("spiece.model", small().bytePieces().bytes());
    SiglipTokenizer t = SiglipTokenizer.load(model);
    long[] row = t.tokenize(List.of("A, b!"), 6)[0];
    // canonicalized "a b" -> "▁a", "▁", "b"; then </s> and padding with </s>.
    assertArrayEquals(new long[] {4, 3, 6, 1, 1, 1}, row);
    assertEquals(1, t.specialTokensPerRow());
    assertTrue(t.attentionMask(), "transformers' default model_input_names include attention_mask");
  }

  @Test
  void refusesFilesThatAreNotUnigramSentencePieceModels() throws Exception {
    Path garbage = write("spiece.model", "this is not a protobuf model\n".getBytes());
    DataFormatException e = assertThrows(DataFormatException.class, () -> SentencePieceModel.read(garbage));
    assertTrue(e.getMessage().startsWith(garbage + ": not "), e.getMessage());
    assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());

    Path truncated = write("cut.model", java.util.Arrays.copyOf(small().bytes(), 30));
    assertTrue(assertThrows(DataFormatException.class, () -> SentencePieceModel.read(truncated)).getMessage()
        .startsWith(truncated + ": not a SentencePiece model"));

    Path bpe = write("bpe.model", small().modelType(2).bytes());
    assertTrue(assertThrows(DataFormatException.class, () -> SentencePieceModel.read(bpe)).getMessage()
        .contains("bpe model"));

    Path noUnk = write("nounk.model", new SpieceWriter().normal("a", -1f).bytes());
    assertTrue(assertThrows(DataFormatException.class, () -> SentencePieceModel.read(noUnk)).getMessage()
        .contains("no unknown piece"));

    Path bytesWithoutFallback = write("nofb.model", small().bytePieces().byteFallback(false).bytes());
    assertTrue(assertThrows(DataFormatException.class, () -> SentencePieceModel.read(bytesWithoutFallback))
        .getMessage().contains("byte_fallback is false"));

    Path twice = write("dup.model", small().normal("ab", -1f).bytes());
    assertTrue(assertThrows(DataFormatException.class, () -> SentencePieceModel.read(twice)).getMessage()
        .contains("defined twice"));

    assertThrows(ModelNotFoundException.class, () -> SentencePieceModel.read(dir.resolve("missing.model")));
  }

  @Test
  void factoryToldByContentRefusesWhatIsNotATokenizer() throws Exception {
    Path garbage = write("weights.bin", new byte[] {(byte) 0xFF, 0x13, 0x00, 0x42, 0x17});
    for (Tokenizers.Layout layout : Tokenizers.Layout.values()) {
      DataFormatException e = assertThrows(DataFormatException.class, () -> Tokenizers.forModel(garbage, layout));
      assertTrue(e.getMessage().startsWith(garbage + ": not"), e.getMessage());
    }
    Path json = write("tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}".getBytes());
    assertEquals(Tokenizers.Format.TOKENIZER_JSON, Tokenizers.detect(json));
    assertTrue(assertThrows(DataFormatException.class, () -> Tokenizers.forModel(json, Tokenizers.Layout.OPEN_CLIP))
        .getMessage().startsWith(json + ": its model is BPE"));
    Path model = write("spiece.model", small().bytePieces().bytes());
    assertEquals(Tokenizers.Format.SENTENCEPIECE, Tokenizers.detect(model));
    assertTrue(Tokenizers.forModel(model, Tokenizers.Layout.OPEN_CLIP) instanceof FastUnigramTokenizer);
    assertTrue(Tokenizers.forModel(model, Tokenizers.Layout.HUGGING_FACE) instanceof SiglipTokenizer);
    assertTrue(Tokenizers.forModel(dir, Tokenizers.Layout.HUGGING_FACE) instanceof SiglipTokenizer);
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThrows(ModelNotFoundException.class, () -> Tokenizers.forModel(empty, Tokenizers.Layout.HUGGING_FACE));
  }

  @Test
  void openClipPipelineCleansThenFusesUnknownsWithoutByteFallback() throws Exception {
    Path model = write("spiece.model", small().bytePieces().bytes());
    TextTokenizer t = Tokenizers.forModel(model, Tokenizers.Layout.OPEN_CLIP);
    // ftfy + canonicalize: "A&amp;B" -> "ab"; full-width "ａ" -> "a"; "éé" -> one <unk>.
    assertArrayEquals(new long[] {4, 6, 1, 1}, t.tokenize(List.of("A&amp;B"), 4)[0]);
    assertArrayEquals(new long[] {4, 1}, t.tokenize(List.of("\uFF41"), 2)[0]);
    assertArrayEquals(new long[] {4, 2, 6, 1}, t.tokenize(List.of("a\u00E9\u00E9b"), 4)[0]);
    assertEquals("its snake case", OpenClipCleaning.CANONICALIZE.clean("It\u2019s  snake_case!"));
  }
}
