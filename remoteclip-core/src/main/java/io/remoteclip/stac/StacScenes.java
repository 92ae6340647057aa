package io.remoteclip.stac;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scenes an ItemCollection names for one asset key: what {@code --stac ITEMS --asset KEY} turns into. Each
 * item gives one {@link StacScene}: its asset's href made absolute (against the item's {@code self} link, or
 * the ItemCollection's own location when it has none), with the item's id, collection, datetime, bbox and
 * geometry.
 *
 * <p>An item without the asset is an error by default ({@link MissingAsset#FAIL}): a search for scenes that
 * silently yields fewer would make an embedding table that looks complete and is not. {@link MissingAsset#SKIP}
 * leaves such items out with one warning each.
 */
public final class StacScenes {
  /** What to do with an item that lacks the asset key. */
  public enum MissingAsset {
    /** Stop with one line naming the file, the item and the key. */
    FAIL,
    /** Leave the item out, with one warning line naming it. */
    SKIP
  }

  private static final java.util.regex.Pattern URL_LIKE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

  private StacScenes() {}

  /**
   * The scenes of the ItemCollection at {@code itemsFileOrUrl} (a path, or an {@code http(s)}/{@code file} URL).
   *
   * @param warnings receives one line per skipped item (with {@link MissingAsset#SKIP})
   */
  public static List<StacScene> read(String itemsFileOrUrl, String assetKey, MissingAsset missing,
      Consumer<String> warnings, StacDocuments documents) throws IOException, StacFormatException {
    URI location = location(itemsFileOrUrl);
    return of(StacJson.itemCollection(documents.read(location), location), location, assetKey, missing, warnings);
  }

  /** The scenes of {@code items}, read from {@code location}. */
  public static List<StacScene> of(ItemCollection items, URI location, String assetKey, MissingAsset missing,
      Consumer<String> warnings) throws StacFormatException {
    String where = Hrefs.display(location);
    List<StacScene> scenes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (StacItem item : items.features()) {
      StacAsset asset = item.assets().get(assetKey);
      if (asset == null) {
        String problem = where + ": item " + item.id() + " has no asset \"" + assetKey + "\" ("
            + (item.assets().isEmpty() ? "it has no assets" : "it has " + String.join(", ", item.assets().keySet()))
            + ")";
        if (missing == MissingAsset.FAIL) {
          throw new StacFormatException(problem);
        }
        warnings.accept(problem + "; skipped");
        continue;
      }
      URI href = Hrefs.resolve(item.location(location), asset.href(), where + ": item " + item.id(),
          "asset \"" + assetKey + "\"");
      StacScene scene = new StacScene(href, assetKey, asset.type(), item.id(), item.collection(), item.datetime(),
          item.bbox(), item.geometry());
      if (!names.add(scene.name())) {
        throw new StacFormatException(where + ": item " + scene.name() + " appears twice");
      }
      scenes.add(scene);
    }
    return scenes;
  }

  /**
   * A command-line STAC location as a URI: {@code scheme://…} and {@code file:} URLs as they are, anything else
   * a local path (made absolute).
   */
  public static URI location(String fileOrUrl) {
    String s = fileOrUrl.strip();
    if (URL_LIKE.matcher(s).lookingAt() || s.toLowerCase(Locale.ROOT).startsWith("file:")) {
      try {
        return new URI(s);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("\"" + fileOrUrl + "\" is not a valid URL (" + e.getReason() + ")");
      }
    }
    try {
      return Path.of(s).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("\"" + fileOrUrl + "\" is not a valid path (" + e.getReason() + ")");
    }
  }
}
