package io.remoteclip.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.Main;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SampleImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eval zeroshot --transductive} on cached embeddings and end to end; its one-line input errors. */
class EvalTransductiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(List<String> args) {
    CommandLine cmd = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run zeroShot(String... args) {
    List<String> all = new ArrayList<>(List.of("eval", "zeroshot", "--transductive"));
    all.addAll(List.of(args));
    return run(all);
  }

  @Test
  void jsonHasTransductiveTop1NextToTheInductiveOne() throws Exception {
    Path d = Fixtures.require("data/embeddings/whurs19-remoteclip-vit-b-32");
    Run r = zeroShot("--image-embeddings", d.resolve("images.npy").toString(), "--labels",
        d.resolve("labels.npy").toString(), "--class-embeddings", d.resolve("texts/a_satellite_photo_of_a.npy").toString(),
        "--classes", d.resolve("classes.txt").toString(), "--json");
    assertEquals(0, r.code, r.err);
    JsonNode j = JSON.readTree(r.out);
    assertEquals("zeroshot-transductive", j.get("protocol").asText());
    assertEquals(98.1094527363184, j.get("top1").asDouble(), 0.2);
    assertEquals(93.43283582089552, j.get("top1_inductive").asDouble(), 1e-9);
    assertEquals(1005, j.get("count").asInt());
  }

  private Path floats(String name, float[][] rows) throws Exception {
    float[] flat = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    }
    Path p = tmp.resolve(name);
    Npy.writeFloats(p, flat, rows.length, rows[0].length);
    return p;
  }

  private Path labels(int n, int classes) throws Exception {
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = i % classes;
    }
    Path p = tmp.resolve("labels-" + n + ".npy");
    Npy.writeLongs(p, l, n);
    return p;
  }

  private static float[][] random(int n, int dim, long seed) {
    Random rnd = new Random(seed);
    float[][] m = new float[n][dim];
    for (float[] row : m) {
      for (int p = 0; p < dim; p++) {
        row[p] = (float) rnd.nextGaussian();
      }
    }
    return m;
  }

  @Test
  void badInputsGiveOneLineNamingTheFile() throws Exception {
    Path classes = floats("classes.npy", random(5, 8, 1));
    Path four = floats("four.npy", random(4, 8, 2));
    Run few = zeroShot("--image-embeddings", four.toString(), "--labels", labels(4, 5).toString(),
        "--class-embeddings", classes.toString());
    assertEquals(65, few.code);
    assertEquals("remoteclip: " + four + ": transductive zero-shot needs at least as many images as classes: "
        + "4 image(s), 5 classes", few.err.strip());

    float[][] rows = random(40, 8, 3);
    rows[7][2] = Float.NaN;
    Path nan = floats("nan.npy", rows);
    Run r = zeroShot("--image-embeddings", nan.toString(), "--labels", labels(40, 5).toString(),
        "--class-embeddings", classes.toString());
    assertEquals(65, r.code);
    assertEquals("remoteclip: " + nan + ": embedding row 7 is not finite (NaN or infinity)", r.err.strip());

    float[][] badClasses = random(5, 8, 4);
    badClasses[3][0] = Float.NaN;
    Path nanClass = floats("nan-classes.npy", badClasses);
    r = zeroShot("--image-embeddings", floats("ok.npy", random(40, 8, 5)).toString(), "--labels",
        labels(40, 5).toString(), "--class-embeddings", nanClass.toString());
    assertEquals(65, r.code);
    assertEquals("remoteclip: " + nanClass + ": embedding row 3 is not finite (NaN or infinity)", r.err.strip());

    Path wide = floats("wide.npy", random(40, 12, 6));
    r = zeroShot("--image-embeddings", wide.toString(), "--labels", labels(40, 5).toString(),
        "--class-embeddings", classes.toString());
    assertEquals(65, r.code);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.contains(classes + ": embedding dimension 8 differs from " + wide + " (12)"), r.err);
  }

  /** Drawn UCM-like images, the bundled model: --transductive reports plain zero-shot as top1_inductive. */
  @Test
  void endToEndOnTheBundledModel() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    StringBuilder csv = new StringBuilder("filename,label\n");
    for (String cls : List.of("airplane", "beach", "forest")) {
      int first = SampleImages.UCM_CLASSES.indexOf(cls) * 100 + 1;
      for (int i = 0; i < 4; i++) {
        String f = cls + "/" + (first + i) + ".jpg";
        SampleImages.write(data.resolve(f), first + i);
        csv.append(f).append(',').append(cls).append('\n');
      }
    }
    Path labelsCsv = Files.writeString(data.resolve("labels.csv"), csv);
    List<String> common = List.of("--model", BundledModel.weights().toString(), "--vocab", BundledModel.vocab().toString(),
        "--cache-dir", tmp.resolve("cache").toString(), "--dataset", labelsCsv.toString(), "--json");
    List<String> plainArgs = new ArrayList<>(List.of("eval", "zeroshot"));
    plainArgs.addAll(common);
    Run plain = run(plainArgs);
    assertEquals(0, plain.code, plain.err);
    Run joint = zeroShot(common.toArray(String[]::new));
    assertEquals(0, joint.code, joint.err);
    JsonNode p = JSON.readTree(plain.out);
    JsonNode j = JSON.readTree(joint.out);
    assertEquals(p.get("top1").asDouble(), j.get("top1_inductive").asDouble(), 1e-9);
    assertEquals(12, j.get("count").asInt());
    assertEquals("zeroshot-transductive", j.get("protocol").asText());
    assertTrue(j.has("top1") && j.has("mean_per_class_recall_inductive"), joint.out);
    assertTrue(joint.err.contains("15 cached, 0 encoded"), joint.err); // the same embeddings as the plain run
  }

  /**
   * A SigLIP (the golden siglip-tiny folder) end to end: the solver's text prior is at the model's own scale,
   * exp(logit_scale) of the fixture's logit_scale.npy; the same rows as embeddings files (written by {@code embed})
   * with that --text-scale give the same figures; without --text-scale one line says that CLIP's 100 was used.
   */
  @Test
  void siglipUsesItsOwnTextScaleEndToEndAndOnFilesWithTextScale() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    String hf = g.resolve("hf").toString();
    float scale = (float) Math.exp(Npy.read(g.resolve("logit_scale.npy")).floats()[0]);
    Path data = Files.createDirectories(tmp.resolve("data"));
    List<String> classNames = List.of("airplane", "beach", "forest");
    StringBuilder csv = new StringBuilder("filename,label\n");
    List<String> files = new ArrayList<>();
    for (String cls : classNames) {
      int first = SampleImages.UCM_CLASSES.indexOf(cls) * 100 + 1;
      for (int i = 0; i < 3; i++) {
        String f = cls + "/" + (first + i) + ".png";
        SampleImages.write(data.resolve(f), first + i);
        csv.append(f).append(',').append(cls).append('\n');
        files.add(data.resolve(f).toString());
      }
    }
    Path labelsCsv = Files.writeString(data.resolve("labels.csv"), csv);
    Run e2e = zeroShot("--model", hf, "--no-cache", "--dataset", labelsCsv.toString(), "--templates", "single", "--json");
    assertEquals(0, e2e.code, e2e.err);
    JsonNode j = JSON.readTree(e2e.out);
    assertEquals(scale, j.get("text_scale").asDouble(), 1e-6 * scale);

    List<String> embedImages = new ArrayList<>(List.of("embed", "--model", hf, "--out", tmp.resolve("img.npy").toString(),
        "--images"));
    embedImages.addAll(files);
    assertEquals(0, run(embedImages).code);
    Path prompts = Files.write(tmp.resolve("prompts.txt"),
        classNames.stream().map(c -> io.remoteclip.eval.PromptTemplates.fill("a satellite photo of {}.", c)).toList());
    Run texts = run(List.of("embed", "--model", hf, "--texts", prompts.toString(), "--out", tmp.resolve("txt.npy").toString()));
    assertEquals(0, texts.code, texts.err);
    List<String> listing = Files.readAllLines(tmp.resolve("img.txt"));
    long[] labels = new long[listing.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = classNames.indexOf(Path.of(listing.get(i)).getParent().getFileName().toString());
    }
    Path labelsNpy = tmp.resolve("labels.npy");
    Npy.writeLongs(labelsNpy, labels, labels.length);
    List<String> onFiles = List.of("--image-embeddings", tmp.resolve("img.npy").toString(), "--labels", labelsNpy.toString(),
        "--class-embeddings", tmp.resolve("txt.npy").toString(), "--json");
    List<String> scaled = new ArrayList<>(onFiles);
    scaled.addAll(List.of("--text-scale", Float.toString(scale)));
    Run withScale = zeroShot(scaled.toArray(String[]::new));
    assertEquals(0, withScale.code, withScale.err);
    assertEquals("", withScale.err);
    JsonNode f = JSON.readTree(withScale.out);
    for (String key : List.of("top1", "top1_inductive", "mean_per_class_recall")) {
      assertEquals(j.get(key).asDouble(), f.get(key).asDouble(), 1e-9, key);
    }
    assertEquals(scale, f.get("text_scale").asDouble(), 1e-6 * scale); // as printed, to float precision
    Run clipScale = zeroShot(onFiles.toArray(String[]::new));
    assertEquals(0, clipScale.code, clipScale.err);
    assertEquals(100.0, JSON.readTree(clipScale.out).get("text_scale").asDouble());
    assertEquals("remoteclip: " + tmp.resolve("img.npy") + ": embeddings files do not name their model; the text prior "
        + "used CLIP's scale 100 (for a SigLIP's embeddings give --text-scale, its exp(logit_scale))", clipScale.err.strip());

    // the benchmark on the same files: text_scale gives the same figures, without it one line names CLIP's scale
    Path config = Files.writeString(tmp.resolve("bench.yaml"), """
        output: out
        protocols: [zeroshot-transductive]
        models:
          - name: siglip-scaled
            text_scale: %s
            datasets: [{name: drawn, images: img.npy, labels: labels.npy, class_embeddings: [txt.npy]}]
          - name: siglip-unscaled
            datasets: [{name: drawn, images: img.npy, labels: labels.npy, class_embeddings: [txt.npy]}]
        """.formatted(Float.toString(scale)));
    Run bench = run(List.of("benchmark", "--config", config.toString()));
    assertEquals(0, bench.code, bench.err);
    JsonNode rows = JSON.readTree(tmp.resolve("out/results.json").toFile()).get("results");
    assertEquals(f.get("top1").asDouble(), rows.get(0).get("metrics").get("top1").asDouble(), 1e-9);
    assertEquals(scale, rows.get(0).get("metrics").get("text_scale").asDouble(), 1e-6 * scale);
    assertEquals(100.0, rows.get(1).get("metrics").get("text_scale").asDouble());
    assertTrue(bench.err.contains("siglip-unscaled / drawn: embeddings files do not name their model"), bench.err);
    assertTrue(!bench.err.contains("siglip-scaled / drawn: embeddings files"), bench.err);

    Run misplaced = zeroShot("--model", hf, "--dataset", labelsCsv.toString(), "--text-scale", "8");
    assertEquals(2, misplaced.code);
    assertTrue(misplaced.err.contains("--text-scale is for embeddings files"), misplaced.err);
  }
}
