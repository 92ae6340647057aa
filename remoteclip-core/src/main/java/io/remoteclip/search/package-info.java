/**
 * Search as a library service: text, example-image and similar-image queries against an index, label filters,
 * zero-shot labels of the hits, and the model an index was built with ({@link io.remoteclip.search.IndexedModel}).
 * Its signatures carry plain values only ({@link io.remoteclip.index.SearchFilter},
 * {@link io.remoteclip.index.SearchHit}, {@link io.remoteclip.search.SearchResult}); the store behind it is a
 * {@link io.remoteclip.index.SearchBackend}. Transports (the HTTP server, the CLI) sit above this package.
 */
package io.remoteclip.search;
