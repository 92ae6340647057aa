/**
 * Evaluation protocols of RemoteCLIP (SPEC §7) on embeddings: zero-shot classification, linear probe,
 * k-NN, few-shot, image-text retrieval and counting. Everything works on {@code float[][]} rows; the
 * model plugs in through {@link io.remoteclip.encode.Encoder}, and {@link io.remoteclip.encode.CachedEncoder}
 * avoids re-encoding what is cached. Percentages are 0–100.
 */
package io.remoteclip.eval;
