/** RemoteCount-style counting benchmarks built from detection annotations. */
package io.remoteclip.data.counting;
