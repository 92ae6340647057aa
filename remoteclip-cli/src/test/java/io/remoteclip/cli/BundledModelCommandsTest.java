package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-facing commands end to end with the built-in {@code remoteclip-mini} model on images this test
 * draws: runs the same with and without {@code ../shared}.
 */
class BundledModelCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path images;
  private static List<String> model;


  @BeforeAll
  static void drawImages() {
    images = tmp.resolve("images");
    // two classes far apart in colour and texture: airplane (101..) and forest (701..)
    SampleImages.ucmLike(images, 101, 102, 103, 701, 702, 703);
    model = List.of("--model", BundledModel.dir().toString());
  }

  private static CliRun run(List<String> args) {
    return CliRun.of(args);
  }

  private static CliRun run(String command, String... rest) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(model);
    args.addAll(List.of(rest));
    return run(args);
  }

  @Test
  void embedIsOrderedRepeatableAndNormalisedOnRequest() throws Exception {
    Path all = tmp.resolve("all.npy");
    CliRun r = run("embed", "--images", images.toString(), "--out", all.toString());
    assertEquals(0, r.code(), r.err());
    float[][] rows = Npy.readMatrix(all);
    assertEquals(6, rows.length);
    assertEquals(192, rows[0].length);
    // One file alone gives the same row as in the batch (batching does not change results).
    Path one = tmp.resolve("one.npy");
    assertEquals(0, run("embed", "--images", images.resolve("702.jpg").toString(), "--out", one.toString()).code());
    float[] alone = Npy.readMatrix(one)[0];
    for (int i = 0; i < alone.length; i++) {
      assertEquals(rows[4][i], alone[i], 1e-5, "component " + i);
    }
    // Images of one drawn class are closer to each other than to the other class.
    assertTrue(cos(rows[0], rows[1]) > cos(rows[0], rows[4]), "same-class images are nearer");

    Path texts = Files.writeString(tmp.resolve("prompts.txt"), "a satellite photo of a forest.\nan airport\n");
    Path t = tmp.resolve("texts.npy");
    assertEquals(0, run("embed", "--texts", texts.toString(), "--normalize", "--out", t.toString()).code());
    for (float[] row : Npy.readMatrix(t)) {
      assertEquals(1.0, Math.sqrt(dot(row, row)), 1e-5);
    }
  }

  @Test
  void classifyAsJsonGivesProbabilitiesThatSumToOne() throws Exception {
    CliRun r = run("classify", "--labels", "airplane,forest,beach,harbor", "--top-k", "4", "--json",
        images.resolve("101.jpg").toString(), images.resolve("701.jpg").toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length, r.out());
    for (String line : lines) {
      JsonNode preds = JSON.readTree(line).get("predictions");
      assertEquals(4, preds.size());
      double sum = 0;
      for (JsonNode p : preds) {
        sum += p.get("probability").asDouble();
      }
      assertEquals(1.0, sum, 1e-5, line);
    }
  }

  @Test
  void classifyTransductiveClassifiesTheImagesJointlyAndSaysSo() throws Exception {
    CliRun r = run("classify", "--labels", "airplane,forest,beach", "--top-k", "3", "--json", "--transductive",
        images.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(6, lines.length, r.out());
    for (String line : lines) {
      JsonNode o = JSON.readTree(line);
      assertTrue(o.get("transductive").asBoolean(), line);
      assertEquals(6, o.get("jointly_with").asInt());
      double sum = 0;
      for (JsonNode p : o.get("predictions")) {
        sum += p.get("probability").asDouble();
      }
      assertEquals(1.0, sum, 1e-5, line);
    }
    CliRun text = run("classify", "--labels", "airplane,forest,beach", "--transductive", images.toString());
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().startsWith("transductive zero-shot: 6 images classified jointly (TransCLIP)"), text.out());

    CliRun few = run("classify", "--labels", "airplane,forest,beach", "--transductive",
        images.resolve("101.jpg").toString(), images.resolve("701.jpg").toString());
    assertEquals(65, few.code());
    assertEquals("remoteclip: transductive zero-shot needs at least as many images as classes: 2 image(s), 3 classes",
        few.err().strip());
  }

  @Test
  void fineTuningFromTheBuiltInModelWritesACheckpointThatTheOtherCommandsLoad() throws Exception {
    Path csv = tmp.resolve("captions.csv");
    List<String> rows = new ArrayList<>(List.of("filepath\ttitle"));
    try (var files = Files.list(images)) {
      for (Path f : files.sorted().toList()) {
        String cls = SampleImages.ucmClass(Integer.parseInt(f.getFileName().toString().replace(".jpg", "")));
        rows.add(f + "\tan aerial image of " + cls);
        rows.add(f + "\tmany " + cls + " seen from above");
      }
    }
    Files.write(csv, rows);
    Path out = tmp.resolve("run");
    CliRun r = run("train", "--train", csv.toString(), "--epochs", "1", "--batch-size", "4", "--lr", "1e-4",
        "--warmup", "1", "--seed", "1", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Path ckpt = out.resolve("checkpoints/epoch_1.pt");
    assertTrue(Files.isRegularFile(ckpt), "checkpoint written: " + r.out() + r.err());

    CliRun info = run(List.of("info", "--model", ckpt.toString()));
    assertEquals(0, info.code(), info.err());
    assertEquals(192, JSON.readTree(info.out()).get("embed_dim").asInt(), info.out());

    Path before = tmp.resolve("before.npy");
    Path after = tmp.resolve("after.npy");
    assertEquals(0, run("embed", "--images", images.resolve("101.jpg").toString(), "--out", before.toString()).code());
    CliRun tuned = run(List.of("embed", "--model", ckpt.toString(), "--vocab", BundledModel.vocab().toString(),
        "--images", images.resolve("101.jpg").toString(), "--out", after.toString()));
    assertEquals(0, tuned.code(), tuned.err());
    float[] a = Npy.readMatrix(before)[0];
    float[] b = Npy.readMatrix(after)[0];
    assertEquals(a.length, b.length);
    assertFalse(java.util.Arrays.equals(a, b), "fine-tuning changed the weights");
    assertTrue(cos(a, b) > 0.5, "one small step stays near the start: cos " + cos(a, b));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double cos(float[] a, float[] b) {
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  }
}
