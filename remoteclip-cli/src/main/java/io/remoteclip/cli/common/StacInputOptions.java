package io.remoteclip.cli.common;

import io.remoteclip.remote.RasterLocation;
import io.remoteclip.stac.StacClientSettings;
import io.remoteclip.stac.StacDocuments;
import io.remoteclip.stac.StacScene;
import io.remoteclip.stac.StacScenes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --stac ITEMS --asset KEY}: the scenes of a STAC ItemCollection (written by {@code stac search}, or any
 * STAC API's search result) in place of paths, each read where its asset lives. The item id, collection, asset
 * key and datetime travel with each scene so that output rows can carry them.
 */
public final class StacInputOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--stac", paramLabel = "ITEMS.json|URL",
      description = "Read the scenes of this STAC ItemCollection (file or http(s) URL; `stac search` writes one) "
          + "instead of paths; needs --asset.")
  String items;

  @Option(names = "--asset", paramLabel = "KEY",
      description = "With --stac: the asset of each item to read (e.g. visual). An item without it is an error, "
          + "unless --skip-missing-asset.")
  String asset;

  @Option(names = "--skip-missing-asset", description = "With --stac: leave out items without --asset (one warning each).")
  boolean skipMissing;

  public boolean given() {
    return items != null;
  }

  /** The ItemCollection as given (file or URL), or null. */
  public String items() {
    return items;
  }

  /** Refuses --asset or --skip-missing-asset without --stac, and --stac without --asset. */
  public void check() {
    if (items == null && (asset != null || skipMissing)) {
      throw Usage.error(spec, "--asset and --skip-missing-asset go with --stac");
    }
    if (items != null && asset == null) {
      throw Usage.error(spec, "--stac needs --asset KEY (the asset of each item to read, e.g. visual)");
    }
  }

  /**
   * The scenes of the ItemCollection, in its order, keyed by where each is read.
   *
   * @throws java.io.IOException the collection cannot be read
   */
  public Map<RasterLocation, StacScene> scenes() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    picocli.CommandLine.Model.OptionSpec v = spec.findOption("--verbose");
    boolean verbose = v != null && Boolean.TRUE.equals(v.getValue());
    StacDocuments documents = new StacDocuments(StacClientSettings.fromEnvironment(),
        verbose ? line -> err.println("remoteclip: " + line) : line -> {});
    List<StacScene> scenes = StacScenes.read(items, asset,
        skipMissing ? StacScenes.MissingAsset.SKIP : StacScenes.MissingAsset.FAIL,
        warning -> err.println("remoteclip: warning: " + warning), documents);
    Map<RasterLocation, StacScene> out = new LinkedHashMap<>();
    for (StacScene s : scenes) {
      out.put(RasterLocation.of(s.href()), s);
    }
    if (out.isEmpty()) {
      throw new io.remoteclip.DataFormatException(items + ": no item has an asset \"" + asset + "\"");
    }
    return out;
  }
}
