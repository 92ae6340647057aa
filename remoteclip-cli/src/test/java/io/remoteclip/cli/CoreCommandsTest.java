package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code info}, {@code tokenize}, {@code embed} and {@code classify} on the golden open_clip models: numbers
 * against the reference files, and every bad input ending in one line, the right exit code and no output.
 */
class CoreCommandsTest {
  private static final String[] GOLDEN_IMAGES = {"ucm_airplane00.tif", "ucm_baseballdiamond45.tif", "nwpu_505.jpg",
      "rsscn7_d315.jpg"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {
    /** A user mistake: exactly one line on stderr, no stack trace. */
    void assertOneLineError(int expectedCode, String mentions) {
      assertEquals(expectedCode, code, err);
      List<String> lines = err.strip().lines().toList();
      assertEquals(1, lines.size(), err);
      assertTrue(lines.get(0).startsWith("remoteclip: "), err);
      assertTrue(lines.get(0).contains(mentions), err);
      assertFalse(err.contains("\tat "), err);
    }
  }

  private static Run run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Path golden(String relative) {
    return Fixtures.require("golden/" + relative);
  }

  private static String vocab() {
    return golden("tokenizer/bpe_simple_vocab_16e6.txt.gz").toString();
  }

  private static List<String> goldenTexts() throws Exception {
    return JSON.readValue(golden("vit-tiny/texts.json").toFile(), new TypeReference<List<String>>() {});
  }

  private Path textsFile(List<String> texts) throws Exception {
    return Files.writeString(tmp.resolve("texts.txt"), String.join("\n", texts) + "\n");
  }

  private static float[] row(float[][] m, int i) {
    return m[i];
  }

  private static float[] normalized(float[] v) {
    double n = 0;
    for (float x : v) {
      n += (double) x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  // ---- info ----------------------------------------------------------------------------------------------

  @Test
  void infoOnVitTinyTakesHeadsFromConfigJson() throws Exception {
    Path model = golden("vit-tiny/model.pt");
    JsonNode config = JSON.readTree(golden("vit-tiny/config.json").toFile());
    Run r = run("info", "--model", model.toString());
    assertEquals(0, r.code, r.err);
    JsonNode j = JSON.readTree(r.out);
    assertEquals("vit", j.at("/vision/type").asText());
    assertEquals(config.at("/vision_cfg/width").asInt(), j.at("/vision/width").asInt());
    assertEquals(config.at("/vision_cfg/layers").asInt(), j.at("/vision/layers").asInt());
    assertEquals(config.at("/derived/vision_heads").asInt(), j.at("/vision/heads").asInt());
    assertEquals(4, j.at("/vision/heads").asInt());
    assertEquals(32, j.at("/vision/patch_size").asInt());
    assertEquals(224, j.at("/vision/image_size").asInt());
    assertEquals(config.at("/text_cfg/heads").asInt(), j.at("/text/heads").asInt());
    assertEquals(32, j.at("/text/width").asInt());
    assertEquals(77, j.at("/text/context_length").asInt());
    assertEquals(49408, j.at("/text/vocab_size").asInt());
    assertEquals(config.get("embed_dim").asInt(), j.get("embed_dim").asInt());
    assertEquals("quickgelu", j.get("activation").asText());
    // sum(p.numel() for p in open_clip CLIP(...).parameters()) for the golden config
    assertEquals(1_912_161, j.get("parameters").asLong());
    assertEquals(62, j.get("tensors").asInt());
    assertEquals("float32", j.get("dtype").asText());
    assertEquals(golden("vit-tiny/config.json").toAbsolutePath().normalize(),
        Path.of(j.get("config_file").asText()).toAbsolutePath().normalize());
  }

  @Test
  void infoOnRnTiny() throws Exception {
    Run r = run("info", "--model", golden("rn-tiny/model.pt").toString());
    assertEquals(0, r.code, r.err);
    JsonNode j = JSON.readTree(r.out);
    assertEquals("modified_resnet", j.at("/vision/type").asText());
    assertEquals(16, j.at("/vision/width").asInt());
    assertEquals("[1,1,1,1]", j.at("/vision/layers").toString());
    assertEquals(8, j.at("/vision/heads").asInt()); // width * 32 / head_width 64
    assertEquals(2, j.at("/text/heads").asInt());
    assertEquals(32, j.get("embed_dim").asInt());
    assertEquals(2_946_009, j.get("parameters").asLong()); // open_clip's parameter count (no BN statistics)
    assertEquals(153, j.get("tensors").asInt());
    assertEquals(2, j.at("/tensors_by_dtype").size()); // float32 weights and int64 num_batches_tracked
  }

  // ---- tokenize ------------------------------------------------------------------------------------------

  @Test
  void tokenizeMatchesOpenClipTokens() throws Exception {
    Path out = tmp.resolve("tokens.npy");
    Run r = run("tokenize", "--vocab", vocab(), "--texts", textsFile(goldenTexts()).toString(), "--out", out.toString());
    assertEquals(0, r.code, r.err);
    var expected = Npy.read(golden("vit-tiny/tokens.npy"));
    var actual = Npy.read(out);
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.longs(), actual.longs());
  }

  // ---- embed ---------------------------------------------------------------------------------------------

  @Test
  void embedImagesReproducesOpenClipFeaturesOfBothTowers() throws Exception {
    for (String model : new String[] {"vit-tiny", "rn-tiny"}) {
      List<String> args = new ArrayList<>(List.of("embed", "--model", golden(model + "/model.pt").toString(),
          "--vocab", vocab(), "--out", tmp.resolve(model + ".npy").toString(), "--images"));
      for (String f : GOLDEN_IMAGES) {
        args.add(golden("preprocess/" + f).toString());
      }
      Run r = run(args.toArray(String[]::new));
      assertEquals(0, r.code, r.err);
      float[][] actual = Npy.readMatrix(tmp.resolve(model + ".npy"));
      float[][] expected = Npy.readMatrix(golden(model + "/image_features_quickgelu.npy"));
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        Tolerances.assertRelative(model + " " + GOLDEN_IMAGES[i], actual[i], expected[i], Tolerances.FEATURES_FP32);
      }
      List<String> listed = Files.readAllLines(tmp.resolve(model + ".txt"));
      assertEquals(args.subList(args.indexOf("--images") + 1, args.size()), listed);
    }
  }

  @Test
  void embedKeepsTheGivenImageOrder() throws Exception {
    Path out = tmp.resolve("rev.npy");
    List<String> args = new ArrayList<>(List.of("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab",
        vocab(), "--out", out.toString(), "--images"));
    for (int i = GOLDEN_IMAGES.length - 1; i >= 0; i--) {
      args.add(golden("preprocess/" + GOLDEN_IMAGES[i]).toString());
    }
    assertEquals(0, run(args.toArray(String[]::new)).code);
    float[][] actual = Npy.readMatrix(out);
    float[][] expected = Npy.readMatrix(golden("vit-tiny/image_features_quickgelu.npy"));
    for (int i = 0; i < expected.length; i++) {
      Tolerances.assertRelative("reversed row " + i, actual[i], expected[expected.length - 1 - i], Tolerances.FEATURES_FP32);
    }
    assertTrue(Files.readAllLines(EmbedOut.txt(out)).get(0).endsWith(GOLDEN_IMAGES[GOLDEN_IMAGES.length - 1]));
  }

  @Test
  void embedTextsReproducesOpenClipFeaturesRawAndNormalised() throws Exception {
    List<String> texts = goldenTexts();
    Path file = textsFile(texts);
    float[][] expected = Npy.readMatrix(golden("vit-tiny/text_features_quickgelu.npy"));
    Path raw = tmp.resolve("raw.npy");
    Run r = run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--texts",
        file.toString(), "--out", raw.toString());
    assertEquals(0, r.code, r.err);
    float[][] actual = Npy.readMatrix(raw);
    Tolerances.assertRelative("text features", flat(actual), flat(expected), Tolerances.FEATURES_FP32);
    assertEquals(texts, Files.readAllLines(EmbedOut.txt(raw)));

    Path norm = tmp.resolve("norm.npy");
    r = run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--texts", file.toString(),
        "--normalize", "--out", norm.toString());
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("L2-normalised"), r.out);
    float[][] unit = Npy.readMatrix(norm);
    for (int i = 0; i < expected.length; i++) {
      Tolerances.assertRelative("normalised text " + i, unit[i], normalized(row(expected, i)), Tolerances.FEATURES_FP32);
    }
  }

  @Test
  void embedSkipsAndListsUnreadableImagesUnlessStrict() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("imgs"));
    Files.copy(golden("preprocess/nwpu_505.jpg"), dir.resolve("a.jpg"));
    Files.write(dir.resolve("b_broken.jpg"), "not a jpeg at all".getBytes(StandardCharsets.US_ASCII));
    Files.copy(golden("preprocess/rsscn7_d315.jpg"), dir.resolve("c.jpg"));
    Path out = tmp.resolve("dir.npy");
    Run r = run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--images",
        dir.toString(), "--out", out.toString());
    assertEquals(0, r.code, r.err);
    assertTrue(r.err.contains("skipped") && r.err.contains("b_broken.jpg"), r.err);
    assertTrue(r.err.contains("1 of 3 images could not be read"), r.err);
    assertEquals(List.of(dir.resolve("a.jpg").toString(), dir.resolve("c.jpg").toString()),
        Files.readAllLines(EmbedOut.txt(out)));
    float[][] rows = Npy.readMatrix(out);
    float[][] expected = Npy.readMatrix(golden("vit-tiny/image_features_quickgelu.npy"));
    Tolerances.assertRelative("a.jpg", rows[0], expected[2], Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("c.jpg", rows[1], expected[3], Tolerances.FEATURES_FP32);

    Path strictOut = tmp.resolve("strict.npy");
    Run strict = run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--images",
        dir.toString(), "--strict", "--out", strictOut.toString());
    strict.assertOneLineError(65, "b_broken.jpg");
    assertNoOutput(strictOut);
  }

  // ---- classify ------------------------------------------------------------------------------------------

  @Test
  void classifyProbabilitiesAreTheSoftmaxOfOpenClipLogits() throws Exception {
    List<String> texts = goldenTexts();
    Path labels = Files.writeString(tmp.resolve("labels.txt"), String.join("\n", texts) + "\n");
    float[][] logits = Npy.readMatrix(golden("vit-tiny/logits_per_image_quickgelu.npy"));
    List<String> args = new ArrayList<>(List.of("classify", "--model", golden("vit-tiny/model.pt").toString(), "--vocab",
        vocab(), "--labels-file", labels.toString(), "--template", "{}", "--top-k", Integer.toString(texts.size()),
        "--json"));
    for (String f : GOLDEN_IMAGES) {
      args.add(golden("preprocess/" + f).toString());
    }
    Run r = run(args.toArray(String[]::new));
    assertEquals(0, r.code, r.err);
    List<String> lines = r.out.strip().lines().toList();
    assertEquals(GOLDEN_IMAGES.length, lines.size(), r.out);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode j = JSON.readTree(lines.get(i));
      assertTrue(j.get("image").asText().endsWith(GOLDEN_IMAGES[i]));
      Map<String, Double> p = new LinkedHashMap<>();
      double sum = 0;
      double previous = Double.POSITIVE_INFINITY;
      for (JsonNode pred : j.get("predictions")) {
        double v = pred.get("probability").asDouble();
        assertTrue(v <= previous, "predictions sorted by probability");
        previous = v;
        p.put(pred.get("label").asText(), v);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-5, "probabilities of image " + i);
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits[i]) {
        max = Math.max(max, l);
      }
      double z = 0;
      for (float l : logits[i]) {
        z += Math.exp(l - max);
      }
      for (int t = 0; t < texts.size(); t++) {
        double softmax = Math.exp(logits[i][t] - max) / z;
        assertEquals(softmax, p.get(texts.get(t)), 1e-5 * Math.max(1, softmax), "image " + i + " text " + t);
      }
    }
  }

  // ---- bad input -----------------------------------------------------------------------------------------

  @Test
  void missingModelFileExits66() {
    Path out = tmp.resolve("x.npy");
    Path missing = tmp.resolve("nope.pt");
    run("embed", "--model", missing.toString(), "--vocab", vocab(), "--texts", golden("vit-tiny/texts.json").toString(),
        "--out", out.toString()).assertOneLineError(66, missing.toString());
    assertNoOutput(out);
  }

  @Test
  void truncatedCheckpointExits65() throws Exception {
    byte[] all = Files.readAllBytes(golden("vit-tiny/model.pt"));
    Path cut = tmp.resolve("cut.pt");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    Path out = tmp.resolve("x.npy");
    run("embed", "--model", cut.toString(), "--vocab", vocab(), "--texts", textsFile(goldenTexts()).toString(), "--out",
        out.toString()).assertOneLineError(65, cut.toString());
    assertNoOutput(out);
  }

  @Test
  void torchScriptArchiveExits65() throws Exception {
    Path ts = tmp.resolve("ViT-B-32.pt");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(ts))) {
      for (String entry : new String[] {"ViT-B-32/data.pkl", "ViT-B-32/constants.pkl", "ViT-B-32/code/__torch__/model.py",
          "ViT-B-32/version"}) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write("x".getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
      }
    }
    Path out = tmp.resolve("x.npy");
    Run r = run("embed", "--model", ts.toString(), "--vocab", vocab(), "--texts", textsFile(goldenTexts()).toString(),
        "--out", out.toString());
    r.assertOneLineError(65, "TorchScript");
    assertNoOutput(out);
  }

  @Test
  void wrongTensorShapeExits65() throws Exception {
    StateDict sd = Checkpoints.read(golden("vit-tiny/model.pt"));
    Map<String, TensorData> tensors = new LinkedHashMap<>(sd.asMap());
    tensors.put("transformer.resblocks.1.attn.out_proj.weight", TensorData.ofFloats(new float[32 * 31], 32, 31));
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Path pt = dir.resolve("model.pt");
    Checkpoints.write(pt, new StateDict(tensors, pt));
    Files.copy(golden("vit-tiny/config.json"), dir.resolve("config.json"));
    Path out = tmp.resolve("x.npy");
    run("embed", "--model", pt.toString(), "--vocab", vocab(), "--texts", textsFile(goldenTexts()).toString(), "--out",
        out.toString()).assertOneLineError(65, "transformer.resblocks.1.attn.out_proj.weight");
    assertNoOutput(out);
  }

  @Test
  void missingVocabularyExits66() throws Exception {
    Path out = tmp.resolve("x.npy");
    Path missing = tmp.resolve("vocab.txt.gz");
    run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", missing.toString(), "--texts",
        textsFile(goldenTexts()).toString(), "--out", out.toString()).assertOneLineError(66, missing.toString());
    assertNoOutput(out);
  }

  @Test
  void unknownOptionExits2() {
    Path out = tmp.resolve("x.npy");
    run("embed", "--texts", "t.txt", "--out", out.toString(), "--normalise").assertOneLineError(2, "--normalise");
    assertNoOutput(out);
  }

  @Test
  void emptyTextsFileExits65() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
    Path out = tmp.resolve("x.npy");
    run("embed", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--texts", empty.toString(),
        "--out", out.toString()).assertOneLineError(65, empty.toString());
    assertNoOutput(out);
    Path tokens = tmp.resolve("t.npy");
    run("tokenize", "--vocab", vocab(), "--texts", empty.toString(), "--out", tokens.toString())
        .assertOneLineError(65, "empty");
    assertNoOutput(tokens);
  }

  @Test
  void classifyOnlyUnreadableImagesExits65() throws Exception {
    Path broken = Files.write(tmp.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    Run r = run("classify", "--model", golden("vit-tiny/model.pt").toString(), "--vocab", vocab(), "--labels",
        "airport,beach", broken.toString());
    assertEquals(65, r.code, r.err);
    assertTrue(r.err.contains("broken.png"), r.err);
    assertFalse(r.err.contains("\tat "), r.err);
  }

  private void assertNoOutput(Path npy) {
    assertFalse(Files.exists(npy), npy + " written");
    assertFalse(Files.exists(EmbedOut.txt(npy)), "listing written");
    try (var s = Files.list(npy.getParent())) {
      List<String> temps = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp") || n.startsWith("."))
          .toList();
      assertEquals(List.of(), temps, "temporary files left behind");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static float[] flat(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }

  /** The listing {@code embed} writes next to {@code OUT.npy}. */
  private static final class EmbedOut {
    static Path txt(Path npy) {
      return io.remoteclip.encode.EmbeddingTable.listingOf(npy);
    }
  }
}
