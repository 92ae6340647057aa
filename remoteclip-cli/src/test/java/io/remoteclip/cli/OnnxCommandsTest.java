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
