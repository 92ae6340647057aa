/** 64-bit DCT perceptual hashes and near-duplicate removal. */
package io.remoteclip.data.dedup;
