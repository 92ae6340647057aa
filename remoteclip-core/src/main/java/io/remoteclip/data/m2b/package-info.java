/** Mask-to-Box: connected components of semantic masks as boxes. */
package io.remoteclip.data.m2b;
