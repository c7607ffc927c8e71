/**
 * Model files: saving and loading models in the safetensors format, readable by NumPy and PyTorch without dgm4j.
 *
 * <p>What lives here: {@link dgm4j.io.ModelFile} (an immutable model in memory: ordered named
 * {@link dgm4j.io.Tensor}s plus string metadata), {@link dgm4j.io.ModelFiles} (read with strict validation, atomic
 * write, NumPy .npz export), {@link dgm4j.io.AtomicFiles} (crash-safe file replacement, keeping {@code <name>.prev}),
 * and a small strict {@link dgm4j.io.Json} reader/writer for headers and metadata values.
 *
 * <p>File layout (safetensors, https://github.com/huggingface/safetensors): 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON padded with spaces to a multiple of 8 mapping each tensor name to {@code {"dtype", "shape",
 * "data_offsets"}} plus {@code "__metadata__"} (string to string), then the little-endian tensor data, which the
 * tensors tile exactly. dgm4j metadata: "format" = "dgm4j", "format_version" = "1", "kind", "config" (JSON object),
 * "dgm4j_version", "tensor_sha256" (SHA-256 of the data section, checked on read), and caller keys such as
 * "training_state" and "provenance" (JSON values).
 *
 * <p>Errors: every problem reading a file is a {@link dgm4j.io.ModelFileException} (a {@link dgm4j.InputException})
 * naming the file; every problem writing one is a {@link dgm4j.io.ModelSaveException} (an
 * {@link java.io.UncheckedIOException}), after which the previous file is unchanged.
 *
 * <p>Tensor naming: each model kind documents the tensor names it writes and reads (for example an RBM's weight
 * matrix and bias vectors), in its own class; models add their own names and the format needs no change for a new
 * model. Names are non-empty strings, conventionally lowercase with '.' separating parts ("layer0.weight",
 * "rng.state"). Matrices are 2-D F32 tensors [rows, cols] in row-major order; random-generator states are 1-D I64.
 *
 * <p>Depends only on {@code dgm4j} and {@code dgm4j.math}. Never uses Java serialization.
 */
package dgm4j.io;
