package io.remoteclip.solr;

import io.remoteclip.RemoteClipException;

/** A SolrCloud collection cannot be used as asked: missing, already there, not remoteclip's, or unreachable. */
public class SolrBackendException extends RemoteClipException {
  public SolrBackendException(String message) {
    super(message);
  }

  public SolrBackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
