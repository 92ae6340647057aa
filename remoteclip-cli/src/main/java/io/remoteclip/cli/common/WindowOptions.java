package io.remoteclip.cli.common;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --window N [--stride S]}: a grid of square windows over each scene (io.remoteclip.geo.WindowGrid), for
 * the commands that take scenes window by window instead of whole files.
 */
public final class WindowOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(converter = Ranges.Positive.class, names = "--window", paramLabel = "N",
      description = "Windows of N x N pixels of each scene instead of whole files (one result per window)."
          + Ranges.Positive.HELP)
  Integer window;

  @Option(converter = Ranges.Positive.class, names = "--stride", paramLabel = "N",
      description = "With --window: step between windows in pixels (default: the window side)." + Ranges.Positive.HELP)
  Integer stride;

  /** Whether {@code --window} was given; a {@code --stride} without it is a usage error. */
  public boolean given() {
    if (window == null && stride != null) {
      throw Usage.error(mixee, "--stride needs --window");
    }
    return window != null;
  }

  /** The window side in pixels (only when {@link #given()}). */
  public int window() {
    return window;
  }

  /** The step between windows: {@code --stride}, else the window side. */
  public int stride() {
    return stride == null ? window : stride;
  }
}
