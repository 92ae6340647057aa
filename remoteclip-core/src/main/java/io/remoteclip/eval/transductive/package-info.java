/**
 * Transductive zero-shot classification (TransCLIP, Zanella et al. 2024, as RS-TransCLIP runs it in
 * zero-shot mode): a batch of image embeddings is classified jointly by fitting a Gaussian mixture with a
 * shared diagonal covariance over the batch, with a Laplacian term over the images' sparse k-nearest-
 * neighbour graph and a KL term that keeps each image near its text-based (zero-shot) prediction. No
 * labels are used. {@link io.remoteclip.eval.transductive.TransClip} is the solver;
 * {@link io.remoteclip.eval.transductive.TransductiveZeroShot} scores it against labels.
 *
 * <p>Everything works on {@code float[][]} rows and plain Java loops (no native engine), memory O(N·(D + k + K)),
 * and the results do not depend on the number of threads.
 */
package io.remoteclip.eval.transductive;
