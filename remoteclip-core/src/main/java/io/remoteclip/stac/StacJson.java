package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Binding STAC JSON to the models with one-line errors naming the document, and writing ItemCollections. */
public final class StacJson {
  private StacJson() {}

  /** {@code node} as {@code type}; a member of the wrong kind is an error naming {@code location} and the path. */
  static <T> T bind(JsonNode node, Class<T> type, URI location, String what) throws StacFormatException {
    try {
      return Json.mapper().treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw new StacFormatException(Hrefs.display(location) + ": not a STAC " + what + " (" + path(e) + ": "
          + StacDocuments.jsonProblem(e) + ")", e);
    } catch (IOException e) {
      throw new StacFormatException(Hrefs.display(location) + ": not a STAC " + what + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The ItemCollection in {@code node}, read from {@code location}: a FeatureCollection of items, each with an
   * {@code id}. A single Item is taken as a collection of one.
   */
  public static ItemCollection itemCollection(JsonNode node, URI location) throws StacFormatException {
    String where = Hrefs.display(location);
    if (!node.isObject()) {
      throw new StacFormatException(where + ": not a STAC ItemCollection (expected a JSON object, found "
          + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    String type = node.path("type").asText("");
    if (type.equals("Feature")) {
      return new ItemCollection(List.of(item(node, location, where)));
    }
    if (!type.equals(ItemCollection.TYPE)) {
      throw new StacFormatException(where + ": not a STAC ItemCollection (\"type\" is "
          + (node.has("type") ? "\"" + type + "\"" : "missing") + ", expected \"FeatureCollection\")");
    }
    if (!node.path("features").isArray()) {
      throw new StacFormatException(where + ": not a STAC ItemCollection (no \"features\" array)");
    }
    int i = 0;
    for (JsonNode f : node.get("features")) {
      checkItem(f, where + ": features[" + i++ + "]");
    }
    return bind(node, ItemCollection.class, location, "ItemCollection");
  }

  /** The Item in {@code node}, read from {@code location}. */
  static StacItem item(JsonNode node, URI location, String where) throws StacFormatException {
    checkItem(node, where);
    return bind(node, StacItem.class, location, "Item");
  }

  private static void checkItem(JsonNode f, String where) throws StacFormatException {
    if (!f.isObject() || !"Feature".equals(f.path("type").asText())) {
      throw new StacFormatException(where + ": not a STAC Item (expected an object with \"type\": \"Feature\")");
    }
    if (!f.path("id").isTextual() || f.get("id").asText().isBlank()) {
      throw new StacFormatException(where + ": STAC Item without an \"id\"");
    }
    if (f.has("assets") && !f.get("assets").isObject()) {
      throw new StacFormatException(where + " (item " + f.get("id").asText() + "): \"assets\" is not an object");
    }
  }

  /** Writes {@code items} as an indented ItemCollection, atomically. */
  public static void write(Path out, ItemCollection items) throws IOException {
    byte[] json = Json.pretty().writeValueAsBytes(items);
    AtomicFiles.write(out, o -> o.write(json));
  }

  /** The JSON path of a binding error, e.g. {@code features[2].assets.visual.roles}. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "document" : b.toString();
  }
}
