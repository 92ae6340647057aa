package io.remoteclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.RecallReport;
import io.remoteclip.index.SearchHit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.search.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Text or image queries against an index built by {@code remoteclip index}. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Finds the indexed images most similar (cosine) to a text query or to an example image (--image).",
      "HNSW approximate search by default (--ef candidates per query); --exact scans every vector. --recall-check "
          + "measures HNSW recall@k against exact search, using indexed embeddings as queries.",
      "The index's own model is used unless --model is given (it must be the same model)."
    },
    footer = {"%nExamples:",
      "  remoteclip search --index ucm-index \"airplanes parked next to a terminal\" -k 5",
      "  remoteclip search --index ucm-index --image ../shared/data/ucm-captions/images/101.jpg --json",
      "  remoteclip search --index ucm-index \"dense houses\" --filter label=denseresidential --exact",
      "  remoteclip search --index ucm-index --recall-check -k 10 --queries 500"})
public final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--index", required = true, paramLabel = "IDX", description = "Index directory.")
  Path index;

  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "Text query.")
  String query;

  @Option(names = "--image", paramLabel = "FILE", description = "Query by example image instead of text.")
  Path image;

  @Option(names = {"-k", "--top-k"}, defaultValue = "20", description = "Results (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--filter", paramLabel = "label=VALUE", description = "Only images with this label; repeat to require several.")
  List<String> filters;

  @Option(names = "--exact", description = "Brute-force exact search instead of HNSW.")
  boolean exact;

  @Option(names = "--json", description = "Print a JSON object {\"results\": [{\"path\", \"score\", ...}], ...}.")
  boolean json;

  @Option(names = "--recall-check", description = "Print HNSW recall@k against exact search instead of searching.")
  boolean recallCheck;

  @Option(names = "--queries", defaultValue = "200", description = "Queries for --recall-check (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--ef", defaultValue = "100", paramLabel = "N",
      description = "HNSW candidates explored per query (ef_search; more = better recall, slower; default: ${DEFAULT-VALUE}).")
  int ef;

  @Option(names = "--seed", defaultValue = "42", description = "Sampling seed for --recall-check (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (k <= 0) {
      throw new IllegalArgumentException("-k " + k + " (must be positive)");
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    try (ImageIndex idx = ImageIndex.open(index)) {
      if (recallCheck) {
        if (queries <= 0) {
          throw new IllegalArgumentException("--queries " + queries + " (must be positive)");
        }
        RecallReport r = idx.recall(k, queries, seed, ef);
        if (json) {
          out.println(mapper.writeValueAsString(r));
        } else {
          out.printf("%s: %d documents, %s%n", index, idx.size(), r);
        }
        out.flush();
        return 0;
      }
      if ((query == null) == (image == null)) {
        throw new IllegalArgumentException("give a text QUERY or --image FILE (one of them)");
      }
      if (query != null && query.isBlank()) {
        throw new IllegalArgumentException("the query is empty");
      }
      Query filter = ImageIndex.labelFilter(labelFilters());
      try (ClipEncoder encoder = IndexModels.openFor(idx.metadata(), index, modelOptions, spec)) {
        long t0 = System.nanoTime();
        float[] q = query != null ? QueryVectors.text(encoder, query) : QueryVectors.image(encoder, encoder.decode(image));
        long t1 = System.nanoTime();
        List<SearchHit> hits = exact ? idx.exactSearch(q, k, filter) : idx.search(q, k, filter, ef);
        long t2 = System.nanoTime();
        double encodeMs = (t1 - t0) / 1e6;
        double searchMs = (t2 - t1) / 1e6;
        if (json) {
          out.println(mapper.writeValueAsString(toJson(hits, encodeMs, searchMs)));
        } else {
          int rank = 1;
          for (SearchHit h : hits) {
            out.printf(Locale.ROOT, "%3d  %.4f  %s%s%n", rank++, h.score(), h.path(),
                h.labels().isEmpty() ? "" : "  [" + String.join(", ", h.labels()) + "]");
          }
          spec.commandLine().getErr().printf(Locale.ROOT, "remoteclip: %d results of %d documents (%s): encode %.1f ms, search %.2f ms%n",
              hits.size(), idx.size(), exact ? "exact" : "HNSW", encodeMs, searchMs);
        }
        out.flush();
        return 0;
      }
    }
  }

  private List<String> labelFilters() {
    List<String> labels = new ArrayList<>();
    if (filters != null) {
      for (String f : filters) {
        int eq = f.indexOf('=');
        if (eq < 0 || !f.substring(0, eq).trim().equals("label") || f.substring(eq + 1).isBlank()) {
          throw new IllegalArgumentException("--filter " + f + ": expected label=VALUE");
        }
        labels.add(f.substring(eq + 1).trim());
      }
    }
    return labels;
  }

  private Map<String, Object> toJson(List<SearchHit> hits, double encodeMs, double searchMs) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("query", query != null ? query : image.toString());
    o.put("mode", exact ? "exact" : "hnsw");
    o.put("k", k);
    o.put("encode_ms", encodeMs);
    o.put("search_ms", searchMs);
    List<Map<String, Object>> results = new ArrayList<>();
    for (SearchHit h : hits) {
      results.add(h.toMap());
    }
    o.put("results", results);
    return o;
  }
}
