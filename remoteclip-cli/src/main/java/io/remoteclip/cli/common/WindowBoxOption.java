package io.remoteclip.cli.common;

import io.remoteclip.geo.LonLatBox;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --bbox W,S,E,N} of the commands that cut scenes into windows: only the windows overlapping it are read. */
public final class WindowBoxOption {
  @Option(names = "--bbox", paramLabel = "W,S,E,N",
      description = "Only the windows overlapping this WGS84 box (degrees: minLon,minLat,maxLon,maxLat) are read "
          + "and kept; the others are not read.")
  String bbox;

  public boolean given() {
    return bbox != null;
  }

  /** The box, null when not given; a malformed one is a usage error naming the option. */
  public LonLatBox box(CommandSpec spec) {
    return bbox == null ? null : Usage.parse(spec, "--bbox", bbox, LonLatBox::parse);
  }
}
