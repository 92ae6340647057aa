package io.remoteclip.stac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.fs.OutputExistsException;
import io.remoteclip.fs.StagingDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A self-contained static STAC Collection, laid out as the STAC best practices advise: {@code DIR/collection.json}
 * and one {@code DIR/<item>/<item>.json} per item, linked by relative hrefs (root, parent, collection, item) and
 * without self links, so the folder can be moved or published as it is. Local asset hrefs ({@code file:} URIs)
 * are written relative to each item's document, so the folder and the files it describes can move together.
 * The folder is built in a {@link StagingDirectory} and appears whole or not at all.
 */
public final class StaticCollection {
  public static final String COLLECTION_FILE = "collection.json";
  /** The {@link StagingDirectory#MARKER} of such a folder: only an earlier one (or an empty folder) is replaced. */
  public static final String KIND = "stac-collection";

  private final StacCollection collection;
  private final List<StacItem> items;

  private StaticCollection(StacCollection collection, List<StacItem> items) {
    this.collection = collection;
    this.items = items;
  }

  /**
   * {@code collection} ({@code "type": "Collection"}) and its {@code items} as STAC JSON without links; each item's
   * {@code collection} member is set to the collection's id.
   */
  public static StaticCollection of(ObjectNode collection, List<ObjectNode> items) throws StacFormatException {
    URI where = URI.create("urn:remoteclip:stac-collection");
    StacCollection c = StacJson.bind(collection, StacCollection.class, where, "Collection");
    List<StacItem> bound = new ArrayList<>();
    for (ObjectNode item : items) {
      ObjectNode copy = item.deepCopy();
      copy.put("collection", c.id());
      bound.add(StacJson.item(copy, where, "item " + item.path("id").asText()));
    }
    return new StaticCollection(c, bound);
  }

  public StacCollection collection() {
    return collection;
  }

  public List<StacItem> items() {
    return List.copyOf(items);
  }

  /** Fails before any work when {@code dir} could not be written ({@link StagingDirectory#create}'s rules). */
  public static void requireWritable(Path dir, boolean overwrite) throws IOException, DataFormatException {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !overwrite) {
      throw new OutputExistsException(abs);
    }
    StagingDirectory.requireReplaceable(abs, KIND);
  }

  /** Writes the collection to {@code dir} (replacing an earlier one there when {@code overwrite}). */
  public void write(Path dir, boolean overwrite) throws IOException, DataFormatException {
    try (StagingDirectory staging = StagingDirectory.create(dir, overwrite, KIND)) {
      Path target = staging.target();
      Set<String> folders = new HashSet<>();
      for (StacItem item : items) {
        String folder = uniqueFolder(item.id(), folders);
        for (StacAsset a : item.assets().values()) {
          a.href(relativeIfLocal(a.href(), target.resolve(folder)));
        }
        String up = "../" + COLLECTION_FILE;
        item.addLink(new StacLink("root", up, "application/json"));
        item.addLink(new StacLink("parent", up, "application/json"));
        item.addLink(new StacLink("collection", up, "application/json"));
        collection.addLink(new StacLink("item", "./" + folder + "/" + folder + ".json", "application/geo+json"));
        Path file = staging.path().resolve(folder).resolve(folder + ".json");
        Files.createDirectories(file.getParent());
        Files.write(file, Json.pretty().writeValueAsBytes(item));
      }
      collection.addLink(new StacLink("root", "./" + COLLECTION_FILE, "application/json"));
      for (StacAsset a : collection.assets().values()) {
        a.href(relativeIfLocal(a.href(), target));
      }
      Files.write(staging.path().resolve(COLLECTION_FILE), Json.pretty().writeValueAsBytes(collection));
      staging.commit();
    }
  }

  /** A folder name for the item: its id with characters unsafe in file names replaced, made unique. */
  private static String uniqueFolder(String id, Set<String> taken) {
    String base = id.replaceAll("[^A-Za-z0-9._-]", "_");
    String name = base;
    for (int i = 2; !taken.add(name); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  /** A {@code file:} href relative to {@code fromDir} (with {@code /} separators); any other href unchanged. */
  private static String relativeIfLocal(String href, Path fromDir) {
    URI uri = URI.create(href);
    if (!"file".equals(uri.getScheme())) {
      return href;
    }
    Path rel = fromDir.toAbsolutePath().normalize().relativize(Path.of(uri).toAbsolutePath().normalize());
    String text = rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
    return text.startsWith("../") ? text : "./" + text;
  }
}
