/**
 * Dense-vector arithmetic on {@code float[]} rows ({@link io.remoteclip.vector.Vectors}: dot products, norms,
 * L2 normalisation, similarity matrices, argmax and ranks). A leaf: it uses no other package of the library,
 * so encoding, indexing, search, scanning and evaluation may all depend on it.
 */
package io.remoteclip.vector;
