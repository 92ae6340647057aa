package io.remoteclip.eval.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.protocol.FewShotResult;
import io.remoteclip.eval.protocol.Protocol;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a benchmark's {@code results.json}, {@code results.md} (tables laid out like the RemoteCLIP
 * paper's: one row per model, one column per data set, an average column; retrieval as I→T / T→I R@K and
 * mR). Returns the files written. (Charts are drawn by the CLI, which owns the drawing library.)
 */
public final class BenchmarkReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchmarkReport() {}

  public static List<Path> write(BenchmarkConfig config, List<BenchmarkResult> results) throws IOException {
    Path dir = config.output();
    List<Path> files = new ArrayList<>();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config.file().toAbsolutePath().toString());
    json.put("unit", "percent (counting mean_absolute_error: instances)");
    List<Object> rows = new ArrayList<>();
    for (BenchmarkResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", r.model());
      row.put("dataset", r.dataset());
      row.put("protocol", r.protocol().id());
      if (r.skipped() != null) {
        row.put("skipped", r.skipped());
      } else {
        row.put("metrics", r.metrics());
      }
      rows.add(row);
    }
    json.put("results", rows);
    Path jsonFile = dir.resolve("results.json");
    AtomicFiles.writeString(jsonFile, MAPPER.writeValueAsString(json) + "\n");
    files.add(jsonFile);
    Path md = dir.resolve("results.md");
    AtomicFiles.writeString(md, markdown(config, results));
    files.add(md);
    return files;
  }

  static String markdown(BenchmarkConfig config, List<BenchmarkResult> results) {
    StringBuilder sb = new StringBuilder("# Benchmark results\n\n");
    sb.append("Config: `").append(config.file().getFileName()).append("`. All figures are percentages. ")
        .append("Zero-shot scores every image of a set given as one `images`/`labels` pair (as published ")
        .append("zero-shot figures do); linear probe, k-NN and few-shot train on a seeded per-class split ")
        .append("(train fraction ").append(config.trainFraction()).append(", seed ").append(config.splitSeed())
        .append(") and score its test part.");
    boolean splits = config.models().stream().flatMap(m -> m.datasets().stream())
        .anyMatch(d -> d.endToEnd() != null && d.endToEnd().splitFrom() != null || d.trainImages() != null);
    if (splits) {
      sb.append(" Sets with their own train/test split (train/test files, `split_from`, a split column) use it ")
          .append("instead, and zero-shot then scores the test split.");
    }
    sb.append("\n\n");
    classificationTable(sb, results, Protocol.ZEROSHOT, "Zero-shot classification (top-1)");
    classificationTable(sb, results, Protocol.ZEROSHOT_TRANSDUCTIVE,
        "Transductive zero-shot classification (top-1, TransCLIP: each set classified jointly)");
    classificationTable(sb, results, Protocol.LINEAR_PROBE,
        "Linear probe (top-1, C = " + config.linearC() + ", train fraction " + config.trainFraction() + ")");
    classificationTable(sb, results, Protocol.KNN,
        "k-NN (top-1, k = " + config.knnK() + ", T = " + config.knnTemperature() + ")");
    fewShotTable(sb, results, config);
    retrievalTable(sb, results);
    countingTable(sb, results);
    return sb.toString();
  }

  private static void classificationTable(StringBuilder sb, List<BenchmarkResult> results, Protocol protocol,
      String title) {
    List<BenchmarkResult> rs = done(results, protocol);
    if (rs.isEmpty()) {
      return;
    }
    Set<String> models = new LinkedHashSet<>();
    Set<String> datasets = new LinkedHashSet<>();
    rs.forEach(r -> {
      models.add(r.model());
      datasets.add(r.dataset());
    });
    sb.append("## ").append(title).append("\n\n| Model |");
    datasets.forEach(d -> sb.append(' ').append(d).append(" |"));
    sb.append(" Average |\n|---|");
    datasets.forEach(d -> sb.append("---:|"));
    sb.append("---:|\n");
    for (String m : models) {
      sb.append("| ").append(m).append(" |");
      double sum = 0;
      int n = 0;
      for (String d : datasets) {
        double v = find(rs, m, d).map(r -> r.metric("top1")).orElse(Double.NaN);
        sb.append(' ').append(fmt(v)).append(" |");
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      sb.append(' ').append(n == datasets.size() ? fmt(sum / n) : "–").append(" |\n");
    }
    sb.append('\n');
  }

  private static void fewShotTable(StringBuilder sb, List<BenchmarkResult> results, BenchmarkConfig config) {
    List<BenchmarkResult> rs = done(results, Protocol.FEWSHOT);
    if (rs.isEmpty()) {
      return;
    }
    sb.append("## Few-shot linear probe (top-1 mean ± std over ").append(config.fewShotSeeds()).append(" seeds)\n\n");
    sb.append("| Model | Data set |");
    for (int k : config.shots()) {
      sb.append(' ').append(k).append("-shot |");
    }
    sb.append("\n|---|---|");
    for (int k : config.shots()) {
      sb.append("---:|");
    }
    sb.append('\n');
    for (BenchmarkResult r : rs) {
      sb.append("| ").append(r.model()).append(" | ").append(r.dataset()).append(" |");
      for (FewShot.Shot s : ((FewShotResult) r.result()).shots()) {
        sb.append(String.format(Locale.ROOT, " %.2f ± %.2f |", s.mean(), s.std()));
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  private static void retrievalTable(StringBuilder sb, List<BenchmarkResult> results) {
    List<BenchmarkResult> rs = done(results, Protocol.RETRIEVAL);
    if (rs.isEmpty()) {
      return;
    }
    sb.append("## Cross-modal retrieval\n\n");
    sb.append("| Data set | Model | I→T R@1 | I→T R@5 | I→T R@10 | T→I R@1 | T→I R@5 | T→I R@10 | Mean recall |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    List<BenchmarkResult> sorted = new ArrayList<>(rs);
    List<String> order = new ArrayList<>(new LinkedHashSet<>(rs.stream().map(BenchmarkResult::dataset).toList()));
    sorted.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.dataset())));
    for (BenchmarkResult r : sorted) {
      sb.append("| ").append(r.dataset()).append(" | ").append(r.model()).append(" |");
      for (String k : List.of("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "mean_recall")) {
        sb.append(' ').append(fmt(r.metric(k))).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  private static void countingTable(StringBuilder sb, List<BenchmarkResult> results) {
    List<BenchmarkResult> rs = done(results, Protocol.COUNTING);
    if (rs.isEmpty()) {
      return;
    }
    sb.append("## Object counting\n\n| Model | Data set | Top-1 | Top-3 | Mean abs. error |\n|---|---|---:|---:|---:|\n");
    for (BenchmarkResult r : rs) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f |%n", r.model(), r.dataset(),
          fmt(r.metric("top1")), fmt(r.metric("top3")), r.metric("mean_absolute_error")));
    }
    sb.append('\n');
  }

  private static List<BenchmarkResult> done(List<BenchmarkResult> results, Protocol protocol) {
    return results.stream().filter(r -> r.protocol() == protocol && r.result() != null).toList();
  }

  private static java.util.Optional<BenchmarkResult> find(List<BenchmarkResult> rs, String model, String dataset) {
    return rs.stream().filter(r -> r.model().equals(model) && r.dataset().equals(dataset)).findFirst();
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }
}
