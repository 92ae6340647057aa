package io.remoteclip.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.stac.BoundingBox;
import io.remoteclip.stac.ItemCollection;
import io.remoteclip.stac.ItemFilter;
import io.remoteclip.stac.ItemSearch;
import io.remoteclip.stac.SearchResult;
import io.remoteclip.stac.StacApiClient;
import io.remoteclip.stac.StacClientSettings;
import io.remoteclip.stac.StacDocuments;
import io.remoteclip.stac.StacJson;
import io.remoteclip.stac.StacScenes;
import io.remoteclip.stac.StaticCatalog;
import io.remoteclip.stac.TimeInterval;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip stac search}: items from a STAC API or a static catalog into one ItemCollection file. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Searches a STAC API (--api: item search, GET or POST, following next links) or walks a static "
        + "catalog (--catalog: child and item links, filtered by --collection, --bbox and --datetime), and writes the "
        + "items found as one ItemCollection with absolute asset hrefs.",
    footer = {"%nExamples:",
      "  remoteclip stac search --api https://earth-search.aws.element84.com/v1 \\",
      "      --collection sentinel-2-l2a --bbox 11.0,46.0,11.2,46.2 \\",
      "      --datetime 2024-06-01/2024-06-30 --max-items 20 --out items.json",
      "  remoteclip stac search --catalog catalog.json --datetime 2023-01-01/.. \\",
      "      --out items.json"})
public final class StacSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Where the items come from: a STAC API or a static catalog. */
  static final class Source {
    @Option(names = "--api", paramLabel = "URL", description = "STAC API root (its landing page).")
    String api;

    @Option(names = "--catalog", paramLabel = "FILE|URL", description = "Static catalog (or collection) to walk.")
    String catalog;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--collection", split = ",", paramLabel = "ID", description = "Collection id; repeat or comma-separate for several.")
  List<String> collections = new ArrayList<>();

  @Option(names = "--bbox", paramLabel = "W,S,E,N", description = "WGS84 box the items must intersect (degrees).")
  String bbox;

  @Option(names = "--intersects", paramLabel = "GEOJSON|FILE",
      description = "GeoJSON geometry the items must intersect, inline or in a file (--api only; not with --bbox).")
  String intersects;

  @Option(names = "--datetime", paramLabel = "A/B",
      description = "RFC 3339 instant or interval (.. for an open end; a bare date is the whole UTC day).")
  String datetime;

  @Option(names = "--filter", paramLabel = "CQL2-JSON|FILE", description = "CQL2-JSON filter, inline or in a file (--api only).")
  String filter;

  @Option(converter = Ranges.Positive.class, names = "--limit", paramLabel = "N",
      description = "Items per page asked of the API (default: the API's)." + Ranges.Positive.HELP)
  Integer limit;

  @Option(converter = Ranges.PositiveLong.class, names = "--max-items", paramLabel = "N",
      description = "Stop after this many items (default: all)." + Ranges.PositiveLong.HELP)
  Long maxItems;

  @Option(names = "--header", paramLabel = "NAME:VALUE", description = "HTTP header for every request (e.g. an API key); repeatable.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--method", paramLabel = "GET|POST",
      description = "Search with GET or POST (default: POST when the API's search link offers it, else GET).")
  Method method;

  @Option(names = "--out", required = true, paramLabel = "ITEMS.json", description = "ItemCollection to write (replaced atomically).")
  Path out;

  enum Method { GET, POST }

  @Override
  public Integer call() throws Exception {
    BoundingBox box = bbox == null ? null : Usage.parse(spec, "--bbox", bbox, BoundingBox::parse);
    TimeInterval time = datetime == null ? null : Usage.parse(spec, "--datetime", datetime, TimeInterval::parse);
    Usage.require(spec, box == null || intersects == null, "--bbox and --intersects are exclusive");
    AtomicFiles.requireNotDirectory(out);
    StacDocuments documents = new StacDocuments(settings(), verbose() ? log() : line -> {});
    long max = maxItems == null ? Long.MAX_VALUE : maxItems;
    PrintWriter w = spec.commandLine().getOut();
    if (source.api != null) {
      URI api = Usage.parse(spec, "--api", source.api, StacScenes::location);
      ItemSearch query;
      try {
        query = new ItemSearch(List.copyOf(new LinkedHashSet<>(collections)), box, json("--intersects", intersects),
            time, json("--filter", filter), limit);
      } catch (IllegalArgumentException e) {
        throw Usage.error(spec, "--" + e.getMessage()); // the library names the parameter: intersects, filter
      }
      SearchResult r = new StacApiClient(api, documents)
          .search(query, method == null ? null : method.name(), max, ConsoleProgress.stderr());
      StacJson.write(out, new ItemCollection(r.items()));
      w.printf(Locale.ROOT, "wrote %s: %d items in %d pages (%s %s)%s%n", out, r.items().size(), r.pages(),
          r.method(), r.endpoint(), r.more() ? "; stopped at --max-items, the API has more" : "");
    } else {
      Usage.require(spec, intersects == null && filter == null && limit == null && method == null,
          "--intersects, --filter, --limit and --method need --api (a static catalog is filtered by --collection, "
              + "--bbox and --datetime)");
      URI root = Usage.parse(spec, "--catalog", source.catalog, StacScenes::location);
      StaticCatalog.Walk walk = new StaticCatalog(documents)
          .walk(root, new ItemFilter(new LinkedHashSet<>(collections), box, time), max, ConsoleProgress.stderr());
      StacJson.write(out, new ItemCollection(walk.items()));
      w.printf(Locale.ROOT, "wrote %s: %d items from %d documents of %s%s%n", out, walk.items().size(),
          walk.documents(), source.catalog, walk.more() ? "; stopped at --max-items" : "");
    }
    w.flush();
    return 0;
  }

  private StacClientSettings settings() {
    StacClientSettings s = StacClientSettings.fromEnvironment();
    for (String h : headers) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? "" : h.substring(0, colon).strip();
      Usage.require(spec, !name.isEmpty() && name.chars().noneMatch(c -> c <= ' ' || c == 127),
          "--header " + h + ": expected NAME:VALUE, e.g. Authorization:Bearer TOKEN");
      s = s.withHeader(name, h.substring(colon + 1).strip());
    }
    return s;
  }

  /** Inline JSON (starting with '{') or the JSON in a file; {@code null} stays {@code null}. */
  private JsonNode json(String option, String value) throws IOException, DataFormatException {
    if (value == null) {
      return null;
    }
    if (value.strip().startsWith("{")) {
      try {
        return Json.mapper().readTree(value);
      } catch (JsonProcessingException e) {
        throw Usage.error(spec, option + ": not JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
      }
    }
    Path file = Path.of(value);
    try {
      return Json.mapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new DataFormatException(file + ": not JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
  }

  private boolean verbose() {
    OptionSpec v = spec.findOption("--verbose");
    return v != null && Boolean.TRUE.equals(v.getValue());
  }

  private Consumer<String> log() {
    PrintWriter err = spec.commandLine().getErr();
    return line -> {
      err.println(line);
      err.flush();
    };
  }
}
