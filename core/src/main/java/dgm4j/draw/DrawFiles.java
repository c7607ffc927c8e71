package dgm4j.draw;

import java.util.LinkedHashMap;
import java.util.Map;

import dgm4j.InputException;
import dgm4j.autodiff.Parameter;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;
import dgm4j.math.Matrix;

/**
 * DRAW models in model files (kind "draw"). Tensors: the {@link Draw} parameters, e.g. {@code encoder.weight}
 * [read size + H_dec + H_enc, 4 H_enc] (LSTM gate blocks [i f o g]), {@code encoder.bias}, {@code q.mean.weight},
 * {@code q.log_sigma.weight}, {@code decoder.weight} [Z + H_dec, 4 H_dec], {@code read.window.weight} [H_dec, 5],
 * {@code write.window.weight}, {@code write.patch.weight} [H_dec, N^2] (or {@code write.weight} [H_dec, B A] without
 * attention), {@code encoder.h0}, {@code decoder.h0}, {@code canvas0}. Weights are [in, out]: y = x W + b.
 * Config: {@code {"height": 28, "width": 28, "steps": 64, "encoder_size": 256, "decoder_size": 256, "latent": 100,
 * "attention": true, "read_n": 2, "write_n": 5}}. Checkpoints add {@code train.*} tensors (Adam state, random streams)
 * and "training_state"; see {@link DrawTrainingTask}.
 */
public final class DrawFiles {
    private DrawFiles() {}

    public static ModelFile.Builder builder(Draw model) {
        Draw.Architecture a = model.architecture();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("height", a.height());
        config.put("width", a.width());
        config.put("steps", a.steps());
        config.put("encoder_size", a.encoderSize());
        config.put("decoder_size", a.decoderSize());
        config.put("latent", a.latent());
        config.put("attention", a.attention());
        config.put("read_n", a.readN());
        config.put("write_n", a.writeN());
        ModelFile.Builder b = ModelFile.builder(Draw.KIND).config(config);
        for (Parameter p : model.parameters()) b.parameter(p.name(), p.value());
        return b;
    }

    /** The model stored in a file (config checked, every tensor's shape checked, values finite). */
    public static Draw read(ModelFile file) {
        if (!Draw.KIND.equals(file.kind())) {
            throw new ModelFileException(file.source() + " holds a model of kind \"" + file.kind() + "\", not DRAW (kind \"draw\")");
        }
        Map<String, Object> c = file.configJson();
        Object attention = c.get("attention");
        if (!(attention instanceof Boolean)) throw new ModelFileException(file.source() + ": config \"attention\" must be true or false, found " + attention);
        boolean att = (Boolean) attention;
        Draw.Architecture a;
        try {
            a = new Draw.Architecture(positive(file, c, "height"), positive(file, c, "width"), positive(file, c, "steps"),
                    positive(file, c, "encoder_size"), positive(file, c, "decoder_size"), positive(file, c, "latent"), att,
                    att ? positive(file, c, "read_n") : 0, att ? positive(file, c, "write_n") : 0);
        } catch (InputException e) {
            throw new ModelFileException(file.source() + ": " + e.getMessage());
        }
        Draw model;
        try {
            model = new Draw(a);
        } catch (InputException e) {
            throw new ModelFileException(file.source() + ": " + e.getMessage());
        }
        for (Parameter p : model.parameters()) {
            Matrix v = file.parameter(p.name(), p.value().rows(), p.value().cols());
            if (v.hasNonFinite()) throw new ModelFileException(file.source() + ": tensor \"" + p.name() + "\" contains NaN or infinite values");
            p.value().copyFrom(v);
        }
        return model;
    }

    private static int positive(ModelFile file, Map<String, Object> c, String key) {
        return file.positiveConfigInt(c.get(key), key);
    }
}
