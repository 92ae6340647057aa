/**
 * Image decoding and CLIP preprocessing that reproduce Pillow 9.4 + torchvision 0.14 + open_clip 2.20
 * pixel for pixel.
 *
 * <p>{@link io.remoteclip.image.ImageDecoder} returns a {@link io.remoteclip.image.DecodedImage} in the
 * file's own PIL mode (L, RGB, RGBA, LA, P, I, CMYK, 1); {@link io.remoteclip.image.PilResize} is Pillow's
 * resampling in that mode; {@link io.remoteclip.image.EvalTransform} and {@link
 * io.remoteclip.image.TrainTransform} turn an image into a normalised {@code float[3*N*N]} CHW tensor.
 * Everything works on plain arrays, without per-pixel objects.
 */
package io.remoteclip.image;
