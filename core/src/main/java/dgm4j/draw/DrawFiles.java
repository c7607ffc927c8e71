package dgm4j.draw;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

import dgm4j.InputException;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFileException;

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
        return ModelFile.builder(Draw.KIND).config(config).parameters(model.parameters());
    }

    /** The model stored in a file (config checked, every tensor's shape checked, values finite). */
    public static Draw read(ModelFile file) {
        file.requireKind(Draw.KIND, "DRAW");
        Map<String, Object> c = file.configJson();
        boolean att = file.booleanConfig(c, "attention");
        ToIntFunction<String> n = key -> file.positiveConfigInt(c, key);
        Draw model;
        try {
            model = new Draw(new Draw.Architecture(n.applyAsInt("height"), n.applyAsInt("width"), n.applyAsInt("steps"),
                    n.applyAsInt("encoder_size"), n.applyAsInt("decoder_size"), n.applyAsInt("latent"), att,
                    att ? n.applyAsInt("read_n") : 0, att ? n.applyAsInt("write_n") : 0));
        } catch (InputException e) {
            throw new ModelFileException(file.source() + ": " + e.getMessage());
        }
        file.readParameters(model.parameters());
        return model;
    }
}
