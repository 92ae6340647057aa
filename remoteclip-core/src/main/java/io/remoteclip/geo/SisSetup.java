package io.remoteclip.geo;

import java.io.OutputStream;

/**
 * Settings made once before Apache SIS first runs. SIS reads the EPSG dataset from an embedded Derby database,
 * and Derby would otherwise write a {@code derby.log} into the working directory of every command.
 */
public final class SisSetup {
  /** Where Derby's log goes (nowhere); public because Derby looks the field up by name. */
  public static final OutputStream DERBY_LOG = OutputStream.nullOutputStream();

  static {
    if (System.getProperty("derby.stream.error.field") == null && System.getProperty("derby.stream.error.file") == null) {
      System.setProperty("derby.stream.error.field", SisSetup.class.getName() + ".DERBY_LOG");
    }
  }

  private SisSetup() {}

  /** Runs the static settings (idempotent). */
  static void ensure() {
    // the static initialiser does the work
  }
}
