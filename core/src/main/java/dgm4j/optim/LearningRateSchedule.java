package dgm4j.optim;

/** A learning rate for each (0-based) epoch, and the schedule's length in epochs. */
public interface LearningRateSchedule {
    double rate(int epoch);

    /** Epochs the schedule runs. */
    int epochs();

    /** How the schedule is written on the command line and in checkpoints. */
    String describe();

    /** lr for every epoch. */
    static LearningRateSchedule constant(double lr, int epochs) {
        check(lr, epochs);
        return new LearningRateSchedule() {
            public double rate(int epoch) { return lr; }
            public int epochs() { return epochs; }
            public String describe() { return "constant:" + lr + ":" + epochs; }
        };
    }

    /** lr * decay^epoch. */
    static LearningRateSchedule exponential(double lr, double decay, int epochs) {
        check(lr, epochs);
        if (!(decay > 0 && decay <= 1)) throw new IllegalArgumentException("decay must be in (0, 1], got " + decay);
        return new LearningRateSchedule() {
            public double rate(int epoch) { return lr * Math.pow(decay, epoch); }
            public int epochs() { return epochs; }
            public String describe() { return "exponential:" + lr + ":" + decay + ":" + epochs; }
        };
    }

    /**
     * The IWAE paper's schedule (Burda et al. 2016, sec. 5): stage i = 0, 1, ... runs 3^i epochs at learning rate
     * 1e-3 10^(-i/7); all 8 stages are 3,280 epochs. {@code stages} cuts it after its first stages.
     */
    static LearningRateSchedule iwaePaper(int stages) {
        if (stages < 1 || stages > 8) throw new IllegalArgumentException("the paper's schedule has 1 to 8 stages, got " + stages);
        int epochs = 0;
        for (int i = 0; i < stages; i++) epochs += (int) Math.pow(3, i);
        int total = epochs;
        return new LearningRateSchedule() {
            public double rate(int epoch) {
                int stage = 0, end = 1;
                while (epoch >= end) end += (int) Math.pow(3, ++stage);
                return 1e-3 * Math.pow(10, -stage / 7.0);
            }
            public int epochs() { return total; }
            public String describe() { return "paper:" + stages; }
        };
    }

    /** Parses "paper:STAGES", "constant:LR:EPOCHS" or "exponential:LR:DECAY:EPOCHS". */
    static LearningRateSchedule parse(String text) {
        String[] p = text.trim().split(":");
        try {
            switch (p[0]) {
                case "paper": if (p.length == 2) return iwaePaper(Integer.parseInt(p[1])); break;
                case "constant": if (p.length == 3) return constant(Double.parseDouble(p[1]), Integer.parseInt(p[2])); break;
                case "exponential":
                    if (p.length == 4) return exponential(Double.parseDouble(p[1]), Double.parseDouble(p[2]), Integer.parseInt(p[3]));
                    break;
                default: break;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("bad schedule '" + text + "': expected paper:STAGES (1-8), constant:LR:EPOCHS "
                + "or exponential:LR:DECAY:EPOCHS");
    }

    private static void check(double lr, int epochs) {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
}
