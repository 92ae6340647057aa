package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.Json;
import io.remoteclip.cli.common.ModelOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.index.GeoArea;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.index.RecallReport;
import io.remoteclip.index.SearchHit;
import io.remoteclip.search.SearchRequest;
import io.remoteclip.search.SearchResult;
import io.remoteclip.search.SearchService;
import io.remoteclip.search.VectorSearch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
      "  remoteclip search --index mt-index --like 80712f72... --intersects area.geojson   (no model needed)",
      "  remoteclip search --index ucm-index \"dense houses\" --filter label=denseresidential --exact",
      "  remoteclip search --index ucm-index \"a harbour\" -k 5 --zero-shot \"boats,cars,trees\"",
      "  remoteclip search --index ucm-index --recall-check -k 10 --queries 500"})
public final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--index", paramLabel = "IDX", description = "Index directory (or --solr URL --collection NAME).")
  Path index;

  @Mixin SolrOptions solr;

  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "Text query.")
  String query;

  @Option(names = "--image", paramLabel = "FILE", description = "Query by example image instead of text.")
  Path image;

  @Option(names = "--like", paramLabel = "ID",
      description = "Query by example: the indexed image with this id or key (e.g. a table's unique_id); needs no model.")
  String like;

  @Option(names = "--vector", paramLabel = "FILE.npy",
      description = "Query by example: this embedding (float32 .npy of shape [D] or [1, D], the index's model); needs no model.")
  Path vector;

  @Option(converter = Ranges.Positive.class, names = {"-k", "--top-k"}, defaultValue = "20",
      description = "Results (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int k;

  @Option(names = "--filter", paramLabel = "label=VALUE", description = "Only images with this label; repeat to require several.")
  List<String> filters;

  @Option(names = "--zero-shot", split = ",", paramLabel = "LABEL,LABEL,...",
      description = "Also classify every hit zero-shot against these labels (at least two); text output shows the most probable.")
  List<String> zeroShot;

  @Option(names = "--bbox", paramLabel = "minLon,minLat,maxLon,maxLat",
      description = "Only images whose WGS84 footprint intersects this box (images without a footprint are excluded).")
  String bbox;

  @Option(names = "--intersects", paramLabel = "GEOJSON|WKT|FILE",
      description = "Only images whose WGS84 footprint intersects this geometry: GeoJSON ('{\"type\": \"Polygon\", …}', "
          + "or a Feature), WKT (lon lat order, e.g. 'POLYGON((…))'), or a file holding either.")
  String intersects;

  @Option(names = "--exact", description = "Brute-force exact search instead of HNSW.")
  boolean exact;

  @Option(names = "--json", description = "Print a JSON object {\"results\": [{\"path\", \"score\", ...}], ...}.")
  boolean json;

  @Option(names = "--recall-check", description = "Print HNSW recall@k against exact search instead of searching.")
  boolean recallCheck;

  @Option(converter = Ranges.Positive.class, names = "--queries", defaultValue = "200",
      description = "Queries for --recall-check (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int queries;

  @Option(converter = Ranges.Positive.class, names = "--ef", defaultValue = "100", paramLabel = "N",
      description = "HNSW candidates explored per query (ef_search; more = better recall, slower; default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  int ef;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "42",
      description = "Sampling seed for --recall-check (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = Json.mapper();
    SearchBackend idx = SearchBackends.open(index, solr, spec.commandLine());
    try {
      if (recallCheck) {
        if (!(idx instanceof ImageIndex local)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--recall-check measures the embedded index (--index)");
        }
        RecallReport r = local.recall(k, queries, seed, ef);
        if (json) {
          out.println(mapper.writeValueAsString(r));
        } else {
          out.printf("%s: %d documents, %s%n", index, local.size(), r);
        }
        out.flush();
        return 0;
      }
      if (java.util.stream.Stream.of(query, image, like, vector).filter(java.util.Objects::nonNull).count() != 1) {
        throw Usage.error(spec, "give a text QUERY or --image FILE, or an example to search by: --like ID or "
            + "--vector FILE.npy (one of them)");
      }
      if (query != null && query.isBlank()) {
        throw Usage.error(spec, "the query is empty");
      }
      if (vector != null && zeroShot != null) {
        throw Usage.error(spec, "--zero-shot needs the index's model: use it with a QUERY, --image or --like");
      }
      SearchRequest request = SearchRequest.top(k).withFilter(SearchFilter.labels(labelFilters()).withGeo(geoArea()))
          .withExact(exact).withEf(ef);
      if (zeroShot != null) {
        List<String> labels = zeroShot.stream().map(String::trim).filter(l -> !l.isEmpty()).distinct().toList();
        if (labels.size() < 2) {
          throw Usage.error(spec, "--zero-shot " + String.join(",", zeroShot) + ": give at least two distinct labels");
        }
        request = request.withZeroShot(labels);
      }
      if ((like != null || vector != null) && zeroShot == null) {
        // by example: the query vector is at hand, no model is loaded (the index's may be one remoteclip cannot load)
        SearchResult result = like != null ? VectorSearch.similar(idx, like, request)
            : VectorSearch.nearest(idx, queryVector(), request);
        print(out, mapper, shown(idx, result.hits()), result, request, null);
        return 0;
      }
      requireLoadableModel(idx);
      ClipEncoder encoder = IndexModels.openFor(idx.metadata(), SearchBackends.describe(index, solr), modelOptions, spec);
      SearchBackend backend = idx;
      try (SearchService search = new SearchService(idx, encoder)) {
        idx = null;
        SearchResult result = query != null ? search.text(query, request) : image != null ? search.image(image, request)
            : search.similar(VectorSearch.record(backend, like).id(), request);
        print(out, mapper, shown(backend, result.hits()), result, request, search.scores());
        return 0;
      }
    } finally {
      if (idx != null) {
        idx.close();
      }
    }
  }

  /** {@code scores}: how the model makes label probabilities (JSON says it with --zero-shot), null without a model. */
  private void print(PrintWriter out, ObjectMapper mapper, List<SearchHit> hits, SearchResult result,
      SearchRequest request, String scores) throws Exception {
    if (json) {
      out.println(mapper.writeValueAsString(toJson(hits, result, scores)));
    } else {
      int rank = 1;
      for (SearchHit h : hits) {
        out.printf(Locale.ROOT, "%3d  %.4f  %s%s%s%n", rank++, h.score(), h.path(),
            h.labels().isEmpty() ? "" : "  [" + String.join(", ", h.labels()) + "]",
            h.zeroShot().isEmpty() ? "" : String.format(Locale.ROOT, "  ~ %s %.2f", h.zeroShot().get(0).label(),
                h.zeroShot().get(0).probability()));
      }
      spec.commandLine().getErr().printf(Locale.ROOT, "remoteclip: %d results of %d documents (%s): encode %.1f ms, search %.2f ms%s%n",
          hits.size(), result.documents(), exact ? "exact" : "HNSW", result.encodeMillis(), result.searchMillis(),
          request.filter().geo() == null ? "" : "; " + result.withoutFootprint() + " images without a footprint excluded");
    }
    out.flush();
  }

  /**
   * Refuses, in one line, a text or image query on an index whose model remoteclip cannot load: one filled from a
   * third-party table (no encoder identity, no reference), before any model is opened.
   */
  private void requireLoadableModel(SearchBackend idx) throws io.remoteclip.ModelNotFoundException {
    if (!io.remoteclip.search.IndexedModel.loadable(idx.metadata())) {
      throw io.remoteclip.search.IndexedModel.cannotEmbed(SearchBackends.describe(index, solr), idx.metadata(),
          query != null ? "a text query" : image != null ? "an image query" : "the --zero-shot labels",
          "--like ID or --vector FILE.npy");
    }
  }

  /** --vector's embedding: float32 [D] or [1, D]. */
  private float[] queryVector() throws Exception {
    io.remoteclip.npy.NpyArray a = io.remoteclip.npy.Npy.read(vector);
    int[] shape = a.shape();
    if (shape.length == 2 ? shape[0] != 1 : shape.length != 1) {
      throw new io.remoteclip.DataFormatException(vector + ": shape " + java.util.Arrays.toString(shape)
          + "; a query vector is [D] or [1, D]");
    }
    try {
      return a.floats();
    } catch (RuntimeException e) {
      throw new io.remoteclip.DataFormatException(vector + ": " + e.getMessage());
    }
  }

  /** Hits with the path a local user can open: the file under the indexed root where there is one. */
  private static List<SearchHit> shown(SearchBackend backend, List<SearchHit> hits) {
    List<SearchHit> out = new ArrayList<>(hits.size());
    for (SearchHit h : hits) {
      out.add(backend.file(h.path()).map(p -> h.withPath(p.toString())).orElse(h));
    }
    return out;
  }

  private GeoArea geoArea() {
    if (bbox != null && intersects != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --bbox or --intersects, not both");
    }
    try {
      return bbox != null ? GeoArea.parseBox(bbox) : intersects != null ? GeoArea.of(geometryText()) : null;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), (bbox != null ? "--bbox: " : "--intersects: ")
          + e.getMessage());
    }
  }

  /** --intersects as given, or the content of the file it names. */
  private String geometryText() {
    String t = intersects.strip();
    if (!t.startsWith("{") && !t.contains("(")) {
      try {
        return java.nio.file.Files.readString(Path.of(t));
      } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
        throw new IllegalArgumentException("\"" + t + "\" is neither GeoJSON, WKT nor a readable file");
      }
    }
    return t;
  }

  private List<String> labelFilters() {
    List<String> labels = new ArrayList<>();
    if (filters != null) {
      for (String f : filters) {
        int eq = f.indexOf('=');
        if (eq < 0 || !f.substring(0, eq).trim().equals("label") || f.substring(eq + 1).isBlank()) {
          throw Usage.error(spec, "--filter " + f + ": expected label=VALUE");
        }
        labels.add(f.substring(eq + 1).trim());
      }
    }
    return labels;
  }

  private Map<String, Object> toJson(List<SearchHit> hits, SearchResult result, String scores) {
    double encodeMs = result.encodeMillis();
    double searchMs = result.searchMillis();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("query", query != null ? query : image != null ? image.toString() : like != null ? like : vector.toString());
    o.put("mode", exact ? "exact" : "hnsw");
    o.put("k", k);
    o.put("encode_ms", encodeMs);
    o.put("search_ms", searchMs);
    if (zeroShot != null) {
      o.put("scores", scores);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (SearchHit h : hits) {
      results.add(h.toMap());
    }
    if (bbox != null || intersects != null) {
      o.put("without_footprint", result.withoutFootprint());
    }
    o.put("results", results);
    return o;
  }
}
