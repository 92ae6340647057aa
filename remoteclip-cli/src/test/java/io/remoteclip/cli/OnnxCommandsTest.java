package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --onnx} and {@code --engine onnxruntime} end to end on the built-in model and drawn images:
 * the same rows as the DJL engine (fp32), int8 close to them, the cache, bench, and one-line errors.
 */
class OnnxCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path images;
  private static String savedCache;


  @BeforeAll
  static void setUp() {
    images = tmp.resolve("images");
    SampleImages.ucmLike(images, 101, 102, 701, 702);
    savedCache = System.getProperty("remoteclip.cache");
    System.setProperty("remoteclip.cache", tmp.resolve("cache").toString()); // on-the-fly exports go here
  }

  @AfterAll
  static void restore() {
    if (savedCache == null) {
      System.clearProperty("remoteclip.cache");
    } else {
      System.setProperty("remoteclip.cache", savedCache);
    }
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void exportedModelEmbedsLikeTheDjlEngine() throws Exception {
    String model = BundledModel.dir().toString();
    Path export = tmp.resolve("mini-onnx");
    CliRun r = run("export", "--onnx", "--model", model, "--out", export.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wrote " + export) && r.out().contains("image.onnx") && r.out().contains("fp32"), r.out());
    JsonNode sidecar = JSON.readTree(export.resolve("remoteclip-onnx.json").toFile());
    assertEquals(17, sidecar.get("opset").asInt());
    assertEquals(192, sidecar.get("embed_dim").asInt());
    assertTrue(sidecar.get("encoder_id").asText().contains("remoteclip-mini/model.safetensors"), sidecar.toString());

    Path djl = tmp.resolve("djl.npy");
    Path ort = tmp.resolve("ort.npy");
    assertEquals(0, run("embed", "--model", model, "--images", images.toString(), "--out", djl.toString()).code());
    r = run("embed", "--model", export.toString(), "--threads", "1", "--images", images.toString(), "--out", ort.toString());
    assertEquals(0, r.code(), r.err());
    Tolerances.assertRelative("image rows, ONNX Runtime vs DJL", flat(Npy.readMatrix(ort)), flat(Npy.readMatrix(djl)),
        Tolerances.FEATURES_FP32);
    assertEquals(Files.readAllLines(tmp.resolve("djl.txt")), Files.readAllLines(tmp.resolve("ort.txt")));

    Path prompts = Files.writeString(tmp.resolve("prompts.txt"), "a satellite photo of an airplane.\na forest\n");
    assertEquals(0, run("embed", "--model", model, "--texts", prompts.toString(), "--out", djl.toString()).code());
    assertEquals(0, run("embed", "--model", model, "--engine", "onnxruntime", "--texts", prompts.toString(), "--out",
        ort.toString()).code());
    Tolerances.assertRelative("text rows, ONNX Runtime vs DJL", flat(Npy.readMatrix(ort)), flat(Npy.readMatrix(djl)),
        Tolerances.FEATURES_FP32);
  }

  /**
   * The golden siglip-tiny from both layouts: {@code export --onnx} (fp32 and int8) writes the SentencePiece file
   * and the sigmoid scores; the export embeds the fixture's images as open_clip did, texts as the DJL engine does
   * through the same tokenizer, and classify reports sigmoid probabilities equal to DJL's (int8 within 0.02).
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({"hf, image_features_gelutanh.npy", "model.pt, image_features_gelu.npy"})
  void siglipExportsEmbedAndClassifyAsDjl(String weights, String golden) throws Exception {
    Path fixture = io.remoteclip.testing.Fixtures.require("golden/siglip-tiny");
    Path src = io.remoteclip.testing.Fixtures.require("golden/preprocess");
    Path pics = Files.createDirectories(tmp.resolve("siglip-images-" + weights));
    List<String> names = List.of("ucm_airplane00.tif", "ucm_baseballdiamond45.tif", "nwpu_505.jpg", "rsscn7_d315.jpg");
    for (int i = 0; i < names.size(); i++) {
      Files.copy(src.resolve(names.get(i)), pics.resolve(i + "_" + names.get(i)));
    }
    List<String> model = new ArrayList<>(List.of("--model", fixture.resolve(weights).toString()));
    if (weights.equals("model.pt")) {
      model.addAll(List.of("--vocab", fixture.resolve("spiece.model").toString()));
    }
    Path fp32 = tmp.resolve("siglip-" + weights + "-onnx");
    Path int8 = tmp.resolve("siglip-" + weights + "-int8");
    CliRun r = run(concat(concat(new String[] {"export", "--onnx"}, model.toArray(String[]::new)), new String[] {"--out", fp32.toString()}));
    assertEquals(0, r.code(), r.err());
    r = run(concat(concat(new String[] {"export", "--onnx", "--quantize", "int8"}, model.toArray(String[]::new)),
        new String[] {"--out", int8.toString()}));
    assertEquals(0, r.code(), r.err());
    JsonNode sidecar = JSON.readTree(fp32.resolve("remoteclip-onnx.json").toFile());
    assertEquals("sigmoid", sidecar.get("scores").asText());
    assertEquals(-0.7179123, sidecar.get("logit_bias").asDouble(), 1e-7);
    assertEquals(weights.equals("hf") ? "sentencepiece-transformers" : "sentencepiece-open_clip",
        sidecar.path("tokenizer").path("type").asText());
    assertTrue(Files.isRegularFile(fp32.resolve("spiece.model")));

    Path ort = tmp.resolve("siglip-ort.npy");
    r = run("embed", "--model", fp32.toString(), "--threads", "1", "--images", pics.toString(), "--out", ort.toString());
    assertEquals(0, r.code(), r.err());
    Tolerances.assertRelative("image rows vs open_clip", flat(Npy.readMatrix(ort)),
        flat(Npy.readMatrix(fixture.resolve(golden))), Tolerances.FEATURES_FP32);
    Path prompts = Files.writeString(tmp.resolve("siglip-prompts.txt"), "a satellite photo of an airplane.\nCafé_forest\n");
    Path djl = tmp.resolve("siglip-djl.npy");
    assertEquals(0, run(concat(concat(new String[] {"embed"}, model.toArray(String[]::new)),
        new String[] {"--texts", prompts.toString(), "--out", djl.toString()})).code());
    assertEquals(0, run("embed", "--model", fp32.toString(), "--texts", prompts.toString(), "--out", ort.toString()).code());
    Tolerances.assertRelative("text rows vs DJL", flat(Npy.readMatrix(ort)), flat(Npy.readMatrix(djl)), Tolerances.FEATURES_FP32);

    String[] labels = {"--labels", "airplane,baseball diamond,forest", "--json", pics.toString()};
    JsonNode d = scores(run(concat(concat(new String[] {"classify"}, model.toArray(String[]::new)), labels)));
    JsonNode o = scores(run(concat(new String[] {"classify", "--model", fp32.toString()}, labels)));
    JsonNode q = scores(run(concat(new String[] {"classify", "--model", int8.toString()}, labels)));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        double p = d.get(i).path("predictions").get(j).path("probability").asDouble();
        assertEquals(d.get(i).path("predictions").get(j).path("label").asText(),
            o.get(i).path("predictions").get(j).path("label").asText());
        assertEquals(p, o.get(i).path("predictions").get(j).path("probability").asDouble(), 1e-5);
        assertEquals(p, probability(q.get(i), d.get(i).path("predictions").get(j).path("label").asText()), 0.02);
      }
    }
  }

  private static JsonNode scores(CliRun r) throws Exception {
    assertEquals(0, r.code(), r.err());
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      JsonNode n = JSON.readTree(line);
      assertEquals("sigmoid", n.path("scores").asText(), line);
      rows.add(n);
    }
    rows.sort(java.util.Comparator.comparing(n -> n.path("image").asText()));
    return JSON.valueToTree(rows);
  }

  private static double probability(JsonNode row, String label) {
    for (JsonNode p : row.path("predictions")) {
      if (p.path("label").asText().equals(label)) {
        return p.path("probability").asDouble();
      }
    }
    throw new AssertionError(label + " missing from " + row);
  }

  @Test
  void classifyOnInt8AgreesWithDjl() {
    String model = BundledModel.dir().toString();
    String[] common = {"--labels", "airplane,forest,beach,harbor", "--top-k", "1", images.toString()};
    CliRun djl = run(concat(new String[] {"classify", "--model", model}, common));
    CliRun int8 = run(concat(new String[] {"classify", "--model", model, "--engine", "onnxruntime", "--quantize", "int8"}, common));
    assertEquals(0, djl.code(), djl.err());
    assertEquals(0, int8.code(), int8.err());
    assertEquals(labels(djl.out()), labels(int8.out()));
    assertEquals(4, labels(int8.out()).size(), int8.out());
    // the on-the-fly export is cached under the model's identity and reused
    try (var dirs = Files.list(tmp.resolve("cache/onnx"))) {
      assertTrue(dirs.anyMatch(d -> d.getFileName().toString().contains("-int8-")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void benchReportsTheEngineAndTheInt8Cost() throws Exception {
    String tiny = "vit:width=64,layers=1,patch=32,text-width=64,text-layers=1,embed=32,vocab=1000";
    CliRun r = run("bench", "--arch", tiny, "--engine", "onnxruntime", "--quantize", "int8", "--batch-size", "2", "--threads", "1",
        "--warmup", "0", "--iters", "1", "--images", images.toString(), "--int8-cosine", "--json");
    assertEquals(0, r.code(), r.err());
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      rows.add(JSON.readTree(line));
    }
    assertEquals(List.of("image", "text", "end-to-end"), rows.subList(0, 3).stream().map(x -> x.get("tower").asText()).toList());
    for (JsonNode row : rows.subList(0, 3)) {
      assertEquals("onnxruntime", row.get("engine").asText());
      assertEquals("int8", row.get("precision").asText());
    }
    JsonNode cos = rows.get(3);
    assertEquals(4, cos.get("images").asInt());
    assertTrue(cos.get("mean").asDouble() > 0.99 && cos.get("mean").asDouble() < 1, cos.toString());
  }

  @Test
  void mistakesAreOneLineErrors() throws Exception {
    Path texts = Files.writeString(tmp.resolve("x.txt"), "a forest\n");
    CliRun r = run("embed", "--quantize", "int8", "--texts", texts.toString(), "--out", tmp.resolve("x.npy").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--engine onnxruntime") && !r.err().contains("\tat "), r.err());
    r = run("embed", "--engine", "tensorflow", "--texts", texts.toString(), "--out", tmp.resolve("x.npy").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--engine tensorflow"), r.err());
    // the default build carries ONNX Runtime's CPU artifact: CUDA is refused in one line that says what is needed
    r = run("embed", "--model", BundledModel.dir().toString(), "--engine", "onnxruntime", "--device", "cuda", "--texts",
        texts.toString(), "--out",
        tmp.resolve("x.npy").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("onnxruntime_gpu") && r.err().lines().count() == 1, r.err());
    Path busy = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(busy.resolve("mine.txt"), "x");
    r = run("export", "--onnx", "--model", BundledModel.dir().toString(), "--out", busy.toString());
    assertEquals(65, r.code(), r.err());
    assertTrue(r.err().contains(busy.toString()) && r.err().contains("not empty") && r.err().lines().count() == 1, r.err());
  }

  private static List<String> labels(String out) {
    return out.lines().map(l -> l.substring(l.indexOf(':') + 1).trim().split(" ")[0]).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static float[] flat(float[][] x) {
    float[] out = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
    }
    return out;
  }
}
