package io.remoteclip.data.tile;

/** A tile rectangle {@code [x, x+width) × [y, y+height)} in scene pixels. */
public record Tile(int x, int y, int width, int height) {

  /** Suffix for the tile's file name, DOTA-devkit style: {@code __x___y}. */
  public String suffix() {
    return "__" + x + "___" + y;
  }
}
