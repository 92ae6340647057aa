package io.remoteclip.checkpoint;

import io.remoteclip.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A checkpoint file as it was when its header was read. Tensors are read from the file later, when they are
 * used; a file replaced or rewritten in between is refused rather than mixed with the header read before.
 */
record OpenedFile(Path path, long size, FileTime modified) {

  static OpenedFile of(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return new OpenedFile(path, a.size(), a.lastModifiedTime());
  }

  void checkUnchanged() throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new CorruptCheckpointException(path + ": deleted while its tensors were being read; load it again");
    }
    if (a.size() != size || !a.lastModifiedTime().equals(modified)) {
      throw new CorruptCheckpointException(path + ": changed while its tensors were being read (" + size + " bytes, modified "
          + modified + " when opened; now " + a.size() + " bytes, " + a.lastModifiedTime() + "); load it again");
    }
  }
}
