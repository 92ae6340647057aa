package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a static STAC catalog: from a Catalog or Collection document along its {@code child} and {@code item}
 * links, depth first in link order, each relative href resolved against the location of the document holding
 * it (local files and http(s) alike), each document read once. The items it returns have absolute hrefs and a
 * {@code self} link, so they can be written anywhere. An ItemCollection or a single Item as the root is
 * filtered the same way.
 */
public final class StaticCatalog {
  private final StacDocuments documents;

  public StaticCatalog(StacDocuments documents) {
    this.documents = documents;
  }

  /**
   * What a walk found.
   *
   * @param items the items that passed the filter (at most the {@code maxItems} asked for)
   * @param documents catalogs, collections and items read
   * @param more whether the walk stopped at {@code maxItems} with more matching items possible
   */
  public record Walk(List<StacItem> items, int documents, boolean more) {
    public Walk {
      items = List.copyOf(items);
    }
  }

  private record Node(URI location, String rel, String collection) {}

  /** The items under {@code root} that pass {@code filter}, at most {@code maxItems}. */
  public Walk walk(URI root, ItemFilter filter, long maxItems, ProgressListener progress)
      throws IOException, StacFormatException {
    List<StacItem> found = new ArrayList<>();
    Set<URI> visited = new HashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    todo.push(new Node(root.normalize(), "root", null));
    // Read before the progress starts, so that a wrong root is one line and nothing else.
    JsonNode rootDocument = documents.read(root.normalize());
    int read = 0;
    progress.start("walking " + Hrefs.display(root), maxItems == Long.MAX_VALUE ? -1 : maxItems);
    try {
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (!visited.add(n.location)) {
          continue;
        }
        if (found.size() >= maxItems) {
          return new Walk(found, read, true);
        }
        JsonNode doc = read == 0 ? rootDocument : documents.read(n.location);
        read++;
        String type = doc.path("type").asText("");
        if (type.equals("Feature")) {
          StacItem item = StacJson.item(doc, n.location, Hrefs.display(n.location));
          item.makeHrefsAbsolute(n.location, true);
          if (filter.test(item, n.collection)) {
            found.add(item);
            progress.update(found.size());
          }
        } else if (type.equals(ItemCollection.TYPE)) {
          for (StacItem item : StacJson.itemCollection(doc, n.location).features()) {
            item.makeHrefsAbsolute(item.location(n.location), false);
            if (filter.test(item, n.collection)) {
              if (found.size() >= maxItems) {
                return new Walk(found, read, true);
              }
              found.add(item);
            }
          }
          progress.update(found.size());
        } else {
          StacCatalog catalog = catalog(doc, n);
          String collection = catalog instanceof StacCollection ? catalog.id() : n.collection;
          // Pushed in reverse so that the stack pops them in document order.
          List<StacLink> links = new ArrayList<>(catalog.links());
          for (int i = links.size() - 1; i >= 0; i--) {
            StacLink l = links.get(i);
            if ("child".equals(l.rel()) || "item".equals(l.rel())) {
              todo.push(new Node(l.resolve(n.location).normalize(), l.rel(), collection));
            }
          }
        }
      }
    } finally {
      progress.finish();
    }
    return new Walk(found, read, false);
  }

  private static StacCatalog catalog(JsonNode doc, Node n) throws StacFormatException {
    String type = doc.path("type").asText("");
    if (!doc.isObject() || !(type.equals("Catalog") || type.equals("Collection"))) {
      throw new StacFormatException(Hrefs.display(n.location) + ": not a STAC Catalog, Collection or Item"
          + (n.rel.equals("root") ? "" : " (reached by a \"" + n.rel + "\" link)") + " (\"type\" is "
          + (doc.has("type") ? "\"" + type + "\"" : "missing") + ")");
    }
    return StacJson.bind(doc, StacCatalog.class, n.location, type);
  }
}
