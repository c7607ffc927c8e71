package dgm4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dgm4j.Version;
import dgm4j.autodiff.Parameter;
import dgm4j.math.Matrix;

/**
 * An immutable in-memory model file: named tensors in order plus string metadata, as stored by {@link ModelFiles} in
 * the safetensors format.
 *
 * <p>Metadata keys dgm4j always writes: {@value #FORMAT_KEY} = "dgm4j", {@value #FORMAT_VERSION_KEY} = "1",
 * {@value #KIND_KEY} (model kind, e.g. "rbm"), {@value #CONFIG_KEY} (a JSON object, the model configuration),
 * {@value #DGM4J_VERSION_KEY} (the writing dgm4j) and {@value #TENSOR_SHA256_KEY} (SHA-256 of the data section, added
 * when the file is written). Callers add others, e.g. {@value #TRAINING_STATE_KEY} and {@value #PROVENANCE_KEY}
 * (JSON values, see {@link Builder#metadataJson}).
 *
 * <p>Accessors for tensors a model needs ({@link #tensor}, {@link #matrix}, ...) throw {@link ModelFileException}
 * naming the file when the tensor is missing or has the wrong type or shape: for a model read from disk that is a
 * problem with the file.
 */
public final class ModelFile {
    public static final String FORMAT = "dgm4j";
    /** The format version this dgm4j writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public static final String FORMAT_KEY = "format";
    public static final String FORMAT_VERSION_KEY = "format_version";
    public static final String KIND_KEY = "kind";
    public static final String CONFIG_KEY = "config";
    public static final String DGM4J_VERSION_KEY = "dgm4j_version";
    public static final String TENSOR_SHA256_KEY = "tensor_sha256";
    public static final String TRAINING_STATE_KEY = "training_state";
    public static final String PROVENANCE_KEY = "provenance";

    /** Keys dgm4j manages; callers cannot set them through {@link Builder#metadata}. */
    static final Set<String> RESERVED_KEYS =
            Set.of(FORMAT_KEY, FORMAT_VERSION_KEY, KIND_KEY, CONFIG_KEY, DGM4J_VERSION_KEY, TENSOR_SHA256_KEY);

    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** The safetensors key for metadata; no tensor may have this name. */
    static final String METADATA_ENTRY = "__metadata__";

    private final String source;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    ModelFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A builder for a model of {@code kind} (letters, digits, '_', '.', '-'; e.g. "rbm"). */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** A builder holding this model's tensors and caller metadata (the dgm4j version and checksum are renewed). */
    public Builder toBuilder() {
        Builder b = new Builder(kind());
        b.config(config());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!RESERVED_KEYS.contains(e.getKey())) b.metadata(e.getKey(), e.getValue());
        }
        tensors.forEach(b::tensor);
        return b;
    }

    static boolean isValidKind(String kind) {
        return kind != null && KIND.matcher(kind).matches();
    }

    /** Where this model came from (a file path, or "in-memory model"), for messages. */
    public String source() { return source; }

    public String kind() { return metadata.get(KIND_KEY); }

    /** The model configuration, a JSON object text. */
    public String config() { return metadata.getOrDefault(CONFIG_KEY, "{}"); }

    /** The model configuration, parsed. */
    public Map<String, Object> configJson() {
        Object v = parseJson(CONFIG_KEY, config());
        if (!(v instanceof Map)) throw problem("metadata \"config\" is " + Json.typeName(v) + ", expected a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    /** A config value that must be a positive integer ({@code key} names it in the message). */
    public int positiveConfigInt(Object v, String key) {
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue()) || ((Number) v).intValue() < 1) {
            throw new ModelFileException(source + ": config \"" + key + "\" must be a positive integer, found " + v);
        }
        return ((Number) v).intValue();
    }

    /** The config value {@code key} of {@code config}, a positive integer. */
    public int positiveConfigInt(Map<String, Object> config, String key) { return positiveConfigInt(config.get(key), key); }

    /** The config value {@code key}, true or false. */
    public boolean booleanConfig(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Boolean)) throw problem("config \"" + key + "\" must be true or false, found " + v);
        return (Boolean) v;
    }

    /** The image height or width a directed model's config records (0 when absent: data that are not images). */
    public static int imageSize(Map<String, Object> config, String key) {
        return config.get(key) instanceof Number n ? n.intValue() : 0;
    }

    /** Refuses a file that holds another kind of model, naming both ({@code what} describes {@code kind}, e.g. "DRAW"). */
    public void requireKind(String kind, String what) {
        if (!kind.equals(kind())) {
            throw new ModelFileException(source + " holds a model of kind \"" + kind() + "\", not " + what + " (kind \"" + kind + "\")");
        }
    }

    /** Fills each parameter from its tensor of the same name (written by {@link Builder#parameters}): shapes checked,
     *  values finite. */
    public void readParameters(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            Matrix v = parameter(p.name(), p.value().rows(), p.value().cols());
            if (v.hasNonFinite()) throw problem("tensor \"" + p.name() + "\" contains NaN or infinite values");
            p.value().copyFrom(v);
        }
    }

    /** All metadata, in file order (unmodifiable). */
    public Map<String, String> metadata() { return metadata; }

    public Optional<String> metadata(String key) { return Optional.ofNullable(metadata.get(key)); }

    /** A metadata value that holds JSON, parsed (see {@link Json}); a malformed value is a {@link ModelFileException}. */
    public Optional<Object> metadataJson(String key) {
        String v = metadata.get(key);
        return v == null ? Optional.empty() : Optional.ofNullable(parseJson(key, v));
    }

    private Object parseJson(String key, String text) {
        try {
            return Json.parse(text);
        } catch (JsonException e) {
            throw new ModelFileException(source + ": metadata \"" + key + "\" is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** All tensors in order (unmodifiable). */
    public Map<String, Tensor> tensors() { return tensors; }

    public boolean hasTensor(String name) { return tensors.containsKey(name); }

    /** The tensor {@code name}; a {@link ModelFileException} if there is none. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw problem("no tensor \"" + name + "\" (tensors: " + tensors.keySet() + ")");
        return t;
    }

    /** Tensor {@code name} with a given dtype and rank, else a {@link ModelFileException}. */
    public Tensor tensor(String name, DType dtype, int rank) {
        Tensor t = tensor(name);
        if (t.dtype() != dtype || t.rank() != rank) {
            throw problem("tensor \"" + name + "\" is " + t + ", expected " + dtype + " with " + rank + " dimension" + (rank == 1 ? "" : "s"));
        }
        return t;
    }

    /** A 2-D F32 tensor as a new {@link Matrix}. */
    public Matrix matrix(String name) {
        Tensor t = tensor(name, DType.F32, 2);
        if (t.dim(0) > Integer.MAX_VALUE || t.dim(1) > Integer.MAX_VALUE) throw problem("tensor \"" + name + "\" " + t + " is too large for a matrix");
        return Matrix.zeros((int) t.dim(0), (int) t.dim(1)).copyFrom(t.floats());
    }

    /** A 2-D F32 tensor as a new {@link Matrix}, checking its shape. */
    public Matrix matrix(String name, int rows, int cols) {
        Matrix m = matrix(name);
        if (m.rows() != rows || m.cols() != cols) {
            throw problem("tensor \"" + name + "\" is " + m.shape() + ", expected " + rows + "x" + cols);
        }
        return m;
    }

    /** A parameter stored by {@link Builder#parameter}: a 1-D tensor of {@code cols} values when rows is 1 (a bias),
     *  else a 2-D tensor of the given shape. */
    public Matrix parameter(String name, int rows, int cols) {
        if (rows != 1) return matrix(name, rows, cols);
        float[] v = floats(name);
        if (v.length != cols) throw problem("tensor \"" + name + "\" has " + v.length + " values, expected " + cols);
        return Matrix.of(1, cols, v);
    }

    /** A 1-D I64 tensor (e.g. random-generator state). */
    public long[] longs(String name) { return tensor(name, DType.I64, 1).longs(); }

    /** A 1-D F64 tensor. */
    public double[] doubles(String name) { return tensor(name, DType.F64, 1).doubles(); }

    /** A 1-D F32 tensor. */
    public float[] floats(String name) { return tensor(name, DType.F32, 1).floats(); }

    private ModelFileException problem(String what) {
        return new ModelFileException(source + ": " + what);
    }

    @Override
    public String toString() {
        return "ModelFile[" + kind() + ", " + source + ", tensors " + tensors.size() + "]";
    }

    /** Builds a {@link ModelFile}. Not thread-safe. */
    public static final class Builder {
        private final String kind;
        private String config = "{}";
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();

        private Builder(String kind) {
            if (!isValidKind(kind)) {
                throw new IllegalArgumentException("model kind must be 1-64 letters, digits, '_', '.' or '-', got " + kind);
            }
            this.kind = kind;
        }

        /** The model configuration: a JSON object text. */
        public Builder config(String json) {
            Object v = Json.parse(json);
            if (!(v instanceof Map)) throw new IllegalArgumentException("config must be a JSON object, got " + Json.typeName(v));
            this.config = json;
            return this;
        }

        /** The model configuration as a map (written with {@link Json#write}). */
        public Builder config(Map<String, ?> config) {
            this.config = Json.write(config);
            return this;
        }

        /** Adds or replaces a metadata entry (not one of the keys dgm4j manages). */
        public Builder metadata(String key, String value) {
            if (key == null || value == null) throw new IllegalArgumentException("metadata key and value must not be null");
            if (RESERVED_KEYS.contains(key)) throw new IllegalArgumentException("metadata key \"" + key + "\" is managed by dgm4j");
            Json.quote(key); // rejects unpaired surrogates, which UTF-8 cannot hold
            Json.quote(value);
            metadata.put(key, value);
            return this;
        }

        /** Adds a metadata entry holding a JSON value (Map, List, String, Number, Boolean; see {@link Json#write}). */
        public Builder metadataJson(String key, Object json) {
            return metadata(key, Json.write(json));
        }

        /** Adds a tensor; names are non-empty, unique, and not "__metadata__". */
        public Builder tensor(String name, Tensor tensor) {
            if (name == null || name.isEmpty() || name.equals(METADATA_ENTRY)) {
                throw new IllegalArgumentException("invalid tensor name " + (name == null ? null : Json.quote(name)));
            }
            Json.quote(name);
            if (tensor == null) throw new IllegalArgumentException("tensor \"" + name + "\" is null");
            if (tensors.putIfAbsent(name, tensor) != null) throw new IllegalArgumentException("duplicate tensor \"" + name + "\"");
            return this;
        }

        /** Adds a matrix as a 2-D F32 tensor [rows, cols] (a copy). */
        public Builder matrix(String name, Matrix m) {
            return tensor(name, Tensor.of(m.toArray(), m.rows(), m.cols()));
        }

        /** Adds a model parameter: a one-row matrix (a bias) as a 1-D tensor, others as 2-D, as PyTorch stores them. */
        public Builder parameter(String name, Matrix m) {
            return m.rows() == 1 ? floats(name, m.toArray()) : matrix(name, m);
        }

        /** Adds each parameter under its name ({@link #parameter}); {@link ModelFile#readParameters} reads them back. */
        public Builder parameters(List<Parameter> parameters) {
            for (Parameter p : parameters) parameter(p.name(), p.value());
            return this;
        }

        /** Adds a 1-D I64 tensor (e.g. random-generator state). */
        public Builder longs(String name, long[] values) {
            return tensor(name, Tensor.vector(values));
        }

        /** Adds a 1-D F32 tensor. */
        public Builder floats(String name, float[] values) {
            return tensor(name, Tensor.vector(values));
        }

        public ModelFile build() {
            Map<String, String> md = new LinkedHashMap<>();
            md.put(FORMAT_KEY, FORMAT);
            md.put(FORMAT_VERSION_KEY, Integer.toString(FORMAT_VERSION));
            md.put(KIND_KEY, kind);
            md.put(CONFIG_KEY, config);
            md.put(DGM4J_VERSION_KEY, Version.get());
            md.putAll(metadata);
            return new ModelFile("in-memory " + kind + " model", tensors, md);
        }
    }
}
