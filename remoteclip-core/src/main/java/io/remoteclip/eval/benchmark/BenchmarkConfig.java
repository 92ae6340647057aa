package io.remoteclip.eval.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.remoteclip.DataFormatException;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.Knn;
import io.remoteclip.eval.LinearProbe;
import io.remoteclip.eval.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A benchmark run, read from YAML or JSON (by extension: {@code .json} is JSON, anything else YAML).
 * Relative paths are resolved against the config file's folder. Layout:
 *
 * <pre>
 * output: bench-out                 # folder for results.json, results.md (and the CLI's charts); default: next to config
 * protocols: [zeroshot, linear-probe, knn, fewshot, retrieval, counting]   # the default; zeroshot-transductive when named
 * linear_probe: {C: 3.16, max_iterations: 1000}
 * knn: {k: 20, temperature: 0.07}
 * fewshot: {shots: [1, 2, 4, 8, 16, 32], seeds: 5, seed: 0}
 * split: {train_fraction: 0.5, seed: 0}   # for classification sets without train/test files
 * models:
 *   - name: RemoteCLIP ViT-B-32
 *     text_scale: 100                      # optional: transductive zero-shot's text scale (a SigLIP's exp(logit_scale))
 *     datasets:
 *       - name: WHU-RS19
 *         images: whurs19/images.npy           # or train_images/train_labels/test_images/test_labels
 *         labels: whurs19/labels.npy
 *         classes: whurs19/classes.txt         # optional, names for charts
 *         class_embeddings: [whurs19/texts/a_satellite_photo_of_a.npy]   # zero-shot; one file per template
 *         ensemble: normalize-first
 *       - name: UCM
 *         images: ucm/test_images.npy
 *         texts: ucm/test_captions.npy         # retrieval
 *         text_to_image: ucm/test_caption_image.npy
 *       - name: NWPU-count
 *         counting_items: count/items.jsonl      # counting: items, one image row per item,
 *         counting_images: count/images.npy      # and [items*10, D] caption rows
 *         counting_captions: count/captions.npy
 *   - name: vit-tiny (end to end)          # a model instead of cached embeddings:
 *     model: golden/vit-tiny/model.pt      # name or checkpoint, as --model
 *     vocab: golden/tokenizer/bpe_simple_vocab_16e6.txt.gz   # optional, as --vocab; also config, activation
 *     datasets:
 *       - name: UCM
 *         dataset: ucm-captions/labels.csv       # class folders or filename,label[,split] CSV
 *         split_from: ucm-captions/dataset_ucm.json   # optional; else the seeded per-class split
 *         train_split: [train]                   # with splits (default train; test_split default test)
 *         templates: remote-sensing              # zero-shot prompts: single, remote-sensing or a file
 *         class_names: names.txt                 # optional folder=readable name overrides
 *       - name: UCM-captions
 *         dataset: ucm-captions/dataset_ucm.json  # a caption JSON: retrieval on retrieval_split (test)
 *       - name: NWPU-count
 *         counting_items: count/items.jsonl      # counting, images and captions encoded
 * cache_dir: embeddings                    # embedding cache of end-to-end models (default: the resolver's cache/embeddings)
 * </pre>
 *
 * A protocol runs on every data set that has its inputs and is skipped (and reported as such) on others.
 * End to end, zero-shot scores the test split when the data set has splits and every image otherwise.
 */
public record BenchmarkConfig(Path file, Path output, List<Protocol> protocols, double linearC, int maxIterations,
    int knnK, double knnTemperature, int[] shots, int fewShotSeeds, long fewShotSeed, double trainFraction,
    long splitSeed, List<Model> models, Path cacheDir) {

  /** The same run writing into {@code dir}. */
  public BenchmarkConfig withOutput(Path dir) {
    return new BenchmarkConfig(file, dir, protocols, linearC, maxIterations, knnK, knnTemperature, shots, fewShotSeeds,
        fewShotSeed, trainFraction, splitSeed, models, cacheDir);
  }

  /**
   * One embedding source: cached embeddings ({@code source} null), or a model that encodes the data sets'
   * {@code dataset} and {@code counting_items} end to end.
   *
   * @param textScale cached embeddings only: the factor of the cosines in transductive zero-shot's text prior
   *     (key {@code text_scale}: a SigLIP's exp(logit_scale)); null for CLIP's 100 or, end to end, the model's own
   */
  public record Model(String name, List<Dataset> datasets, ModelSource source, Double textScale) {
    public Model(String name, List<Dataset> datasets) {
      this(name, datasets, null, null);
    }
  }

  /** The model options of an end-to-end entry (as the CLI's --model, --vocab, --config, --activation). */
  public record ModelSource(String model, Path vocab, Path config, String activation) {}

  /** Inputs of one data set; absent entries are {@code null}. */
  public record Dataset(String name, Path images, Path labels, Path trainImages, Path trainLabels, Path testImages,
      Path testLabels, Path classes, List<Path> classEmbeddings, Ensemble ensemble, Path texts, Path textToImage,
      Path countingItems, Path countingImages, Path countingCaptions, EndToEnd endToEnd) {}

  /** A data set encoded by the model: where it is and how it is split and prompted. */
  public record EndToEnd(Path dataset, Path splitFrom, List<String> trainSplits, String testSplit,
      String retrievalSplit, String templates, Path classNames) {}

  public static BenchmarkConfig load(Path file) throws IOException, DataFormatException {
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw DataFormatException.at(file, line, "invalid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new DataFormatException(file + ": expected a mapping at the top level");
    }
    Path base = file.toAbsolutePath().getParent();
    Reader r = new Reader(file, base);
    List<Protocol> protocols = new ArrayList<>();
    JsonNode p = root.get("protocols");
    if (p == null) {
      protocols.addAll(Protocol.defaults());
    } else {
      for (JsonNode n : r.array(p, "protocols")) {
        String name = n.asText();
        try {
          protocols.add(Protocol.parse(name));
        } catch (IllegalArgumentException e) {
          throw new DataFormatException(file + ": protocols: unknown protocol '" + name + "' (known: "
              + String.join(", ", Protocol.ids()) + ")");
        }
      }
    }
    JsonNode lp = root.path("linear_probe");
    JsonNode knn = root.path("knn");
    JsonNode fs = root.path("fewshot");
    JsonNode split = root.path("split");
    int[] shots = FewShot.DEFAULT_SHOTS;
    if (fs.has("shots")) {
      List<JsonNode> s = r.array(fs.get("shots"), "fewshot.shots");
      shots = s.stream().mapToInt(JsonNode::asInt).toArray();
    }
    List<Model> models = new ArrayList<>();
    JsonNode ms = root.get("models");
    if (ms == null) {
      throw new DataFormatException(file + ": no 'models' list");
    }
    for (JsonNode m : r.array(ms, "models")) {
      String name = r.text(m, "name", "models[]");
      for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!Set.of("name", "datasets", "model", "vocab", "config", "activation", "text_scale").contains(k)) {
          throw new DataFormatException(file + ": models[" + name + "]: unknown key '" + k + "'");
        }
      }
      ModelSource source = m.hasNonNull("model")
          ? new ModelSource(r.text(m, "model", "models[" + name + "]"), r.path(m, "vocab"), r.path(m, "config"),
              m.hasNonNull("activation") ? m.get("activation").asText() : null)
          : null;
      if (source == null && (m.has("vocab") || m.has("config") || m.has("activation"))) {
        throw new DataFormatException(file + ": models[" + name + "]: vocab/config/activation need 'model'");
      }
      Double textScale = null;
      if (m.has("text_scale")) {
        JsonNode s = m.get("text_scale");
        if (source != null) {
          throw new DataFormatException(file + ": models[" + name + "]: text_scale is for cached embeddings "
              + "(a model entry uses the model's own)");
        }
        if (!s.isNumber() || !(s.asDouble() > 0) || Double.isInfinite(s.asDouble())) {
          throw new DataFormatException(file + ": models[" + name + "]: text_scale must be a number above 0, not " + s);
        }
        textScale = s.asDouble();
      }
      List<Dataset> ds = new ArrayList<>();
      for (JsonNode d : r.array(m.get("datasets"), "models[" + name + "].datasets")) {
        ds.add(r.dataset(d, "models[" + name + "].datasets", source != null));
      }
      models.add(new Model(name, ds, source, textScale));
    }
    Path out = root.has("output") ? base.resolve(root.get("output").asText()) : base.resolve("benchmark-results");
    return new BenchmarkConfig(file, out, protocols, lp.path("C").asDouble(LinearProbe.DEFAULT_C),
        lp.path("max_iterations").asInt(LinearProbe.DEFAULT_MAX_ITERATIONS), knn.path("k").asInt(Knn.DEFAULT_K),
        knn.path("temperature").asDouble(Knn.DEFAULT_TEMPERATURE), shots, fs.path("seeds").asInt(5),
        fs.path("seed").asLong(0), split.path("train_fraction").asDouble(0.5), split.path("seed").asLong(0), models,
        root.hasNonNull("cache_dir") ? base.resolve(root.get("cache_dir").asText()).normalize() : null);
  }

  /** Reading helpers that name the config file and key in every error. */
  private record Reader(Path file, Path base) {
    List<JsonNode> array(JsonNode n, String key) throws DataFormatException {
      if (n == null || !n.isArray()) {
        throw new DataFormatException(file + ": " + key + " must be a list");
      }
      List<JsonNode> out = new ArrayList<>();
      n.forEach(out::add);
      return out;
    }

    String text(JsonNode n, String key, String where) throws DataFormatException {
      JsonNode v = n.get(key);
      if (v == null || !v.isValueNode() || v.asText().isBlank()) {
        throw new DataFormatException(file + ": " + where + ": missing '" + key + "'");
      }
      return v.asText();
    }

    Path path(JsonNode d, String key) {
      JsonNode v = d.get(key);
      return v == null || v.isNull() ? null : base.resolve(v.asText()).normalize();
    }

    Dataset dataset(JsonNode d, String where, boolean withModel) throws DataFormatException {
      String name = text(d, "name", where);
      Set<String> known = Set.of("name", "images", "labels", "train_images", "train_labels", "test_images",
          "test_labels", "classes", "class_embeddings", "ensemble", "texts", "text_to_image", "counting_items",
          "counting_images", "counting_captions");
      Set<String> endToEndKeys = Set.of("dataset", "split_from", "train_split", "test_split", "retrieval_split",
          "templates", "class_names");
      for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (endToEndKeys.contains(k) && !withModel) {
          throw new DataFormatException(file + ": " + where + "[" + name + "]: '" + k + "' needs 'model' on the model entry");
        }
        if (!known.contains(k) && !endToEndKeys.contains(k)) {
          throw new DataFormatException(file + ": " + where + "[" + name + "]: unknown key '" + k + "'");
        }
      }
      EndToEnd e2e = null;
      if (withModel) {
        List<String> trainSplits = new ArrayList<>();
        JsonNode ts = d.get("train_split");
        if (ts == null) {
          trainSplits.add("train");
        } else if (ts.isArray()) {
          ts.forEach(n -> trainSplits.add(n.asText()));
        } else {
          trainSplits.add(ts.asText());
        }
        e2e = new EndToEnd(path(d, "dataset"), path(d, "split_from"), trainSplits, d.path("test_split").asText("test"),
            d.path("retrieval_split").asText("test"), d.path("templates").asText("single"), path(d, "class_names"));
      }
      List<Path> classEmb = new ArrayList<>();
      JsonNode ce = d.get("class_embeddings");
      if (ce != null) {
        if (ce.isArray()) {
          ce.forEach(n -> classEmb.add(base.resolve(n.asText()).normalize()));
        } else {
          classEmb.add(base.resolve(ce.asText()).normalize());
        }
      }
      Ensemble ensemble;
      try {
        ensemble = Ensemble.parse(d.path("ensemble").asText("normalize-first"));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(file + ": " + where + "[" + name + "]: " + e.getMessage());
      }
      return new Dataset(name, path(d, "images"), path(d, "labels"), path(d, "train_images"), path(d, "train_labels"),
          path(d, "test_images"), path(d, "test_labels"), path(d, "classes"), classEmb, ensemble, path(d, "texts"),
          path(d, "text_to_image"), path(d, "counting_items"), path(d, "counting_images"), path(d, "counting_captions"),
          e2e);
    }
  }
}
