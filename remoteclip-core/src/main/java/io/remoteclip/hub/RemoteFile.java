package io.remoteclip.hub;

import java.util.Optional;

/**
 * One downloadable file of the registry.
 *
 * @param url where the file is published (before mirror rewriting)
 * @param name file name inside the cache
 * @param size exact size in bytes, or {@code null} when unknown
 * @param sha256 lower-case hex SHA-256, or {@code null} when unknown (the download is then unverified)
 */
public record RemoteFile(String url, String name, Long size, String sha256) {
  public Optional<Long> knownSize() {
    return Optional.ofNullable(size);
  }

  public boolean verifiable() {
    return sha256 != null;
  }
}
