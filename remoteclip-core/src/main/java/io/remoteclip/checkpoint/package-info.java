/**
 * Checkpoint files: reading and writing state dicts (named tensors) without Python.
 *
 * <table>
 *   <caption>Formats</caption>
 *   <tr><th>format</th><th>read</th><th>write</th><th>layout documented in</th></tr>
 *   <tr><td>{@code torch.save} zip (.pt, .pth, .bin; torch ≥ 1.6)</td><td>{@link PtCheckpointReader}</td>
 *       <td>{@link PtCheckpointWriter}</td><td>{@link PtCheckpointReader}</td></tr>
 *   <tr><td>safetensors</td><td>{@link SafetensorsReader}</td><td>{@link SafetensorsWriter}</td>
 *       <td>{@link SafetensorsReader}</td></tr>
 * </table>
 *
 * {@link Checkpoints} picks the reader by magic bytes. Wrappers ({@code state_dict}) and {@code module.}
 * prefixes are removed in one place, {@link KeyNormalizer}. Pickles are interpreted by a data-only
 * unpickler with a whitelist of globals: nothing in a checkpoint is ever executed. TorchScript archives
 * and the pre-1.6 torch format are refused with advice.
 */
package io.remoteclip.checkpoint;
