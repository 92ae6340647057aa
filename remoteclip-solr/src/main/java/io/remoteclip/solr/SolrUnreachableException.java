package io.remoteclip.solr;

import java.io.IOException;

/**
 * SolrCloud did not answer: nodes down, refused connections, timeouts, a refused login while discovering the
 * cluster. An I/O failure (the same command may pass once the cluster is back), not a problem of the data.
 */
public class SolrUnreachableException extends IOException {
  public SolrUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
