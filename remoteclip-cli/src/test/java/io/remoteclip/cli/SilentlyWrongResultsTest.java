package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.checkpoint.SafetensorsReader;
import io.remoteclip.checkpoint.SafetensorsWriter;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, part 2: inputs that used to give a plausible but wrong figure (NaN embeddings, a NaN model, a
 * diverged training run, repeated labels, one class, more shots than rows) are refused in one line naming the
 * file. Runs on the bundled remoteclip-mini and data written here.
 */
class SilentlyWrongResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private Path floats(String name, float[][] rows) throws Exception {
    Path f = tmp.resolve(name);
    float[] flat = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    }
    Npy.writeFloats(f, flat, rows.length, rows[0].length);
    return f;
  }

  private Path labels(String name, int n, int classes) throws Exception {
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = i % classes;
    }
    Path f = tmp.resolve(name);
    Npy.writeLongs(f, l, n);
    return f;
  }

  /** Rows near their class's direction (class i % classes), so that every protocol scores well above chance. */
  private static float[][] clustered(int n, int dim, int classes, long seed) {
    Random r = new Random(seed);
    float[][] m = new float[n][dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        m[i][d] = (float) (r.nextGaussian() * 0.3 + (d == i % classes ? 3 : 0));
      }
    }
    return m;
  }

  private static float[][] centres(int classes, int dim) {
    float[][] c = new float[classes][dim];
    for (int k = 0; k < classes; k++) {
      c[k][k] = 1;
    }
    return c;
  }

  private static void oneLine(CliRun r, int code, String expected) {
    assertEquals(code, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    String line = r.err().strip();
    String usageHint = " (see 'remoteclip ";
    assertEquals("remoteclip: " + expected, code == 2 && line.contains(usageHint)
        ? line.substring(0, line.indexOf(usageHint)) : line);
  }

  @Test
  void nonFiniteEmbeddingsAreRefusedByEveryProtocolNamingFileAndRow() throws Exception {
    Path labels = labels("labels.npy", 30, 3);
    Path classes = floats("classes.npy", centres(3, 8));
    float[][] good = clustered(30, 8, 3, 1);
    Path ok = floats("ok.npy", good);
    CliRun fine = CliRun.of("eval", "zeroshot", "--image-embeddings", ok.toString(), "--labels", labels.toString(),
        "--class-embeddings", classes.toString(), "--json");
    assertEquals(0, fine.code(), fine.err());
    assertEquals(100.0, JSON.readTree(fine.out()).get("top1").asDouble(), 1e-9);

    float[][] allNan = new float[30][8];
    for (float[] row : allNan) {
      Arrays.fill(row, Float.NaN);
    }
    Path nan = floats("nan.npy", allNan);
    oneLine(CliRun.of("eval", "zeroshot", "--image-embeddings", nan.toString(), "--labels", labels.toString(),
        "--class-embeddings", classes.toString()), 65, nan + ": embedding row 0 is not finite (NaN or infinity)");

    float[][] badClasses = centres(3, 8);
    badClasses[2][5] = Float.POSITIVE_INFINITY;
    Path inf = floats("inf-classes.npy", badClasses);
    oneLine(CliRun.of("eval", "zeroshot", "--image-embeddings", ok.toString(), "--labels", labels.toString(),
        "--class-embeddings", inf.toString()), 65, inf + ": embedding row 2 is not finite (NaN or infinity)");

    float[][] oneNan = clustered(30, 8, 3, 2);
    oneNan[17][0] = Float.NaN;
    Path poisoned = floats("poisoned.npy", oneNan);
    oneLine(CliRun.of("eval", "knn", "--embeddings", poisoned.toString(), "--labels", labels.toString(), "-k", "3"), 65,
        poisoned + ": embedding row 17 is not finite (NaN or infinity)");
    oneLine(CliRun.of("eval", "linear-probe", "--train-embeddings", ok.toString(), "--train-labels", labels.toString(),
        "--test-embeddings", poisoned.toString(), "--test-labels", labels.toString()), 65,
        poisoned + ": embedding row 17 is not finite (NaN or infinity)");
  }

  @Test
  void zeroShotNeedsTwoClassesAndFewShotRefusesMoreShotsThanAClassHas() throws Exception {
    Path labels = labels("labels.npy", 30, 3);
    Path rows = floats("rows.npy", clustered(30, 8, 3, 3));
    Path single = floats("one-class.npy", centres(1, 8));
    oneLine(CliRun.of("eval", "zeroshot", "--image-embeddings", rows.toString(), "--labels",
        labels("zeros.npy", 30, 1).toString(), "--class-embeddings", single.toString()), 65,
        single + ": zero-shot needs at least two classes, got 1 [0]");

    Path train = floats("train.npy", clustered(30, 8, 3, 4));
    String[] data = {"--train-embeddings", train.toString(), "--train-labels", labels.toString(), "--test-embeddings",
        rows.toString(), "--test-labels", labels.toString()};
    CliRun ten = CliRun.of(concat(new String[] {"eval", "fewshot", "--shots", "1,10", "--seeds", "1", "--json"}, data));
    assertEquals(0, ten.code(), ten.err());
    assertEquals(10, JSON.readTree(ten.out()).get("shots").get(1).get("k").asInt());
    CliRun many = CliRun.of(concat(new String[] {"eval", "fewshot", "--shots", "1,1000", "--seeds", "1"}, data));
    oneLine(many, 65, train + " → " + rows + ": class '0' has 10 training rows, fewer than the 1000 shots asked for");
  }

  @Test
  void aNanPoisonedEmbeddingCacheIsRebuiltNotServed() throws Exception {
    Path data = tmp.resolve("data");
    List<String> classes = List.of("airplane", "forest", "beach");
    for (String cls : classes) {
      int first = SampleImages.UCM_CLASSES.indexOf(cls) * 100 + 1;
      for (int i = 0; i < 3; i++) {
        SampleImages.write(data.resolve(cls).resolve((first + i) + ".jpg"), first + i);
      }
    }
    Path cache = tmp.resolve("cache");
    List<String> args = List.of("eval", "zeroshot", "--dataset", data.toString(), "--json", "--model",
        BundledModel.dir().toString(), "--cache-dir", cache.toString());
    CliRun first = CliRun.of(args);
    assertEquals(0, first.code(), first.err());
    double top1 = JSON.readTree(first.out()).get("top1").asDouble();

    Path images;
    try (Stream<Path> s = Files.walk(cache)) {
      images = s.filter(p -> p.getFileName().toString().equals("images.npy")).findFirst().orElseThrow();
    }
    float[][] encoded = Npy.readMatrix(images);
    float[][] rows = Npy.readMatrix(images);
    for (float[] row : rows) {
      Arrays.fill(row, Float.NaN);
    }
    float[] flat = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    }
    Npy.writeFloats(images, flat, rows.length, rows[0].length);

    CliRun second = CliRun.of(args);
    assertEquals(0, second.code(), second.err());
    assertEquals(top1, JSON.readTree(second.out()).get("top1").asDouble(), 1e-9, second.err());
    assertTrue(second.err().contains("3 cached, 9 encoded"), second.err()); // the images again, the prompts from the cache
    assertTrue(Arrays.deepEquals(encoded, Npy.readMatrix(images)), "the NaN rows were replaced by the encoded ones");
  }

  @Test
  void aModelThatOutputsNanIndexesNothingAndLeavesNoIndex() throws Exception {
    Path model = nanModel();
    Path images = tmp.resolve("images");
    SampleImages.ucmLike(images, 101, 701);
    Path index = tmp.resolve("idx");
    CliRun r = CliRun.of("index", images.toString(), "--index", index.toString(), "--model", model.toString());
    assertEquals(65, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().strip().matches("remoteclip: .*101\\.jpg: the model's embedding is not finite \\(NaN or infinity\\);"
        + " are the model's weights NaN\\?"), r.err());
    assertFalse(Files.exists(index), "no index that records the NaN model");

    // An existing folder keeps what it held and gains nothing.
    Path existing = Files.createDirectories(tmp.resolve("existing"));
    Files.writeString(existing.resolve("notes.txt"), "mine");
    assertEquals(65, CliRun.of("index", images.toString(), "--index", existing.toString(), "--model",
        model.toString()).code());
    try (Stream<Path> s = Files.list(existing)) {
      assertEquals(List.of(existing.resolve("notes.txt")), s.toList());
    }

    CliRun text = CliRun.of("classify", "--model", model.toString(), "--labels", "forest,airplane",
        images.resolve("101.jpg").toString());
    assertEquals(65, text.code(), text.out() + text.err());
    assertEquals("remoteclip: text 'a satellite photo of forest.': the model's embedding is not finite (NaN or infinity);"
        + " are the model's weights NaN?", text.err().strip());
  }

  /** The bundled model with NaN in both projections: every image and text embedding is NaN. */
  private Path nanModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("nan-model"));
    StateDict sd = SafetensorsReader.read(BundledModel.weights());
    Map<String, TensorData> tensors = new LinkedHashMap<>(sd.asMap());
    for (String key : List.of("visual.proj", "text_projection")) {
      float[] v = tensors.get(key).toFloats();
      Arrays.fill(v, Float.NaN);
      tensors.put(key, TensorData.ofFloats(v, tensors.get(key).shape()));
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), new StateDict(tensors, dir.resolve("model.safetensors")));
    Files.copy(BundledModel.dir().resolve("config.json"), dir.resolve("config.json"));
    Files.copy(BundledModel.vocab(), dir.resolve("vocab.txt.gz"));
    return dir;
  }

  @Test
  void trainingStopsOnANonFiniteLossAndRefusesANanLearningRate() throws Exception {
    Path images = tmp.resolve("images");
    Path csv = tmp.resolve("captions.csv");
    List<String> rows = new ArrayList<>(List.of("filepath\ttitle"));
    for (Path f : SampleImages.ucmLike(images, 101, 102, 103, 701, 702, 703)) {
      String cls = SampleImages.ucmClass(Integer.parseInt(f.getFileName().toString().replace(".jpg", "")));
      rows.add(f + "\tan aerial image of " + cls);
    }
    Files.write(csv, rows);
    List<String> base = List.of("train", "--model", BundledModel.dir().toString(), "--train", csv.toString(),
        "--epochs", "1", "--batch-size", "2", "--warmup", "1", "--seed", "1");

    Path nanRun = tmp.resolve("nan-run");
    CliRun nan = CliRun.of(concat(base.toArray(String[]::new), "--lr", "NaN", "--out", nanRun.toString()));
    oneLine(nan, 2, "Invalid value for option '--lr': NaN (allowed: a finite number above 0)");

    Path out = tmp.resolve("run");
    CliRun r = CliRun.of(concat(base.toArray(String[]::new), "--lr", "1e30", "--out", out.toString()));
    assertEquals(65, r.code(), r.out() + r.err());
    String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.matches("remoteclip: .*run: training diverged at step [1-3]: (the loss is not finite \\((NaN|Infinity)\\)"
        + "|its update made the weights not finite \\(NaN or infinity\\)); try a lower learning rate"), r.err());
    assertFalse(Files.exists(out.resolve("checkpoints/epoch_1.pt")), "no checkpoint of the diverged model");
  }

  @Test
  void repeatedLabelsAreRefusedNamingTheLabelAndTheFile() throws Exception {
    Path image = SampleImages.ucmLike(tmp.resolve("images"), 101).get(0);
    String model = BundledModel.dir().toString();
    oneLine(CliRun.of("classify", "--model", model, "--labels", "forest,airplane, forest", image.toString()), 2,
        "--labels: label 'forest' is given twice");
    Path file = Files.writeString(tmp.resolve("classes.txt"), "forest\nairplane\n\nbeach\nairplane\n");
    oneLine(CliRun.of("classify", "--model", model, "--transductive", "--labels-file", file.toString(), image.toString()),
        65, file + ": label 'airplane' is given twice");
    oneLine(CliRun.of("classify", "--model", model, "--labels", "beach", "--labels-file",
        Files.writeString(tmp.resolve("two.txt"), "forest\nbeach\n").toString(), image.toString()), 2,
        "--labels and " + tmp.resolve("two.txt") + ": label 'beach' is given twice");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
