/** Cutting large scenes into tiles and clipping objects to them. */
package io.remoteclip.data.tile;
