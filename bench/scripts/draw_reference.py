#!/usr/bin/python3
"""PyTorch reference for dgm4j.bench.DrawBenchmark (bench/run-draw.sh, bench/README.md): training steps of DRAW
(Gregor et al. 2015) at the paper's MNIST sizes (28 x 28, T = 64, LSTMs of 256, z of 100; with attention read 2 x 2
and write 5 x 5, and without attention), batch 100, single thread, written as an ordinary PyTorch training loop.

Run with /usr/bin/python3 (Debian's python3-torch 1.13), not a pyenv python. Single thread: torch.set_num_threads(1)
and the OpenBLAS torch calls limited to 1 thread (threadpoolctl, as rbm_reference.py).

The math is dgm4j's (core/.../draw/Draw.java, Attention.java, autodiff/Lstm.java), float32, nothing fused by hand:
  x = (torch.rand(B, 784) < X[idx]).float()                                  dynamic binarization of the batch
  h_enc, h_dec = learned h0 broadcast, cells 0; canvas = learned c_0 broadcast
  for t in 1..T:
    x^ = x - sigmoid(canvas)                                                 eq. 3
    r = read(x, x^, h_dec)                                                   eq. 4 (below)
    h_enc, c_enc = LSTM_enc([r, h_dec], (h_enc, c_enc))                     eq. 5
    mu = Linear(h_enc); log_sigma = Linear(h_enc); z = mu + exp(log_sigma) * torch.randn(B, Z)
    KL += 0.5 * (mu^2 + exp(2 log_sigma) - 2 log_sigma - 1).sum(1)         eq. 11, closed form
    h_dec, c_dec = LSTM_dec(z, (h_dec, c_dec))                               eq. 7
    canvas = canvas + write(h_dec)                                           eq. 8
  loss = mean(KL + BCEWithLogits(canvas, x).sum(1))                         eqs. 9-12
  optimizer.zero_grad(); loss.backward(); clip_grad_norm_(params, 1000); optimizer.step()   Adam(1e-3, 0.9, 0.999, 1e-8)
LSTM (--lstm): "cell" (default): nn.LSTMCell (two products, x W_ih^T + h W_hh^T, blocks [i f g o], two biases; the
same FLOPs, 2-3% less CPU time per step than "fused" in a side-by-side test here); "fused": gates = Linear([inputs, h])
with one product for the four gates, blocks [i f o g], c = sigmoid(f) c + sigmoid(i) tanh(g), h = sigmoid(o) tanh(c)
(dgm4j's layout and products, bit for bit the parametrisation of its model file).
Attention: (g~X, g~Y, log sigma^2, log delta~, log gamma) = Linear(h_dec); g = (A+1)/2 (g~ + 1); delta = (max(A,B) -
1)/(N - 1) exp(log delta~); F[i, a] = softmax_a(-(a - mu_i)^2 / (2 sigma^2)), mu_i = g + (i - N/2 - 0.5) delta, a =
1..A; read = exp(log gamma) [F_Y x F_X^T, F_Y x^ F_X^T] (torch.matmul on B x N x A batches); write = exp(-log gamma)
F_Y^T w F_X with w = Linear(h_dec) viewed N x N. Without attention read = [x, x^], write = Linear(h_dec).
Initialisation in distribution as dgm4j's Draw.initialize (LSTM U(+-sqrt(6 / (inputs + 2H))), forget bias 1, other
weights Glorot-uniform, biases 0 but log sigma^2 = 2 log(stride / 2), h0 = 0, c_0 = logit of the clipped data mean).
Data: MNIST's 60,000 training images as one float32 tensor (dgm4j's "train+validation"), a torch.randperm per epoch.

Prints one JSON object per line (the kinds of DrawBenchmark): env, gemm (torch.mm at S1..S4), train, parts.
--check FILE (written by `DrawBenchmark --check FILE`): recomputes dgm4j's loss, gradients, gradient norm and the
loss after one clipped Adam step from the file's weights, batch and noise, in float32 and float64; prints a "check"
line and exits 1 if float32 disagrees with dgm4j by more than the tolerances (with --lstm cell only the loss, its parts
and the gradients are compared: LSTMCell's second bias changes the global norm and the Adam step).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rbm_reference import load_mnist_images, single_thread  # noqa: E402  (same thread control and data)
from vae_reference import bench_gemm  # noqa: E402  (the same GEMM-speed measurement, S1..S4)

BATCH = 100
WORKS = {  # id: (architecture, label) -- Draw.Architecture.paperMnist(true / false)
    "attention": (dict(height=28, width=28, steps=64, encoder_size=256, decoder_size=256, latent=100, attention=True,
                       read_n=2, write_n=5), "DRAW with attention (read 2x2, write 5x5), T=64, batch 100"),
    "no-attention": (dict(height=28, width=28, steps=64, encoder_size=256, decoder_size=256, latent=100,
                          attention=False, read_n=0, write_n=0), "DRAW without attention, T=64, batch 100"),
}


def emit(obj):
    print(json.dumps(obj), flush=True)


def log(msg):
    print(f"[torch] {msg}", file=sys.stderr, flush=True)


def build(torch):
    nn = torch.nn
    F = torch.nn.functional

    class FusedLstm(nn.Module):
        """One product for the four gates: [inputs, h] W + b, blocks [i f o g] (dgm4j's Lstm)."""

        def __init__(self, inputs, hidden):
            super().__init__()
            self.inputs, self.hidden = inputs, hidden
            self.gates = nn.Linear(inputs + hidden, 4 * hidden)

        def forward(self, parts, state):
            h, c = state
            g = self.gates(torch.cat(parts + [h], 1))
            H = self.hidden
            i, f, o = torch.sigmoid(g[:, :H]), torch.sigmoid(g[:, H:2 * H]), torch.sigmoid(g[:, 2 * H:3 * H])
            c = f * c + i * torch.tanh(g[:, 3 * H:])
            return o * torch.tanh(c), c

        def init_like_dgm4j(self):
            limit = math.sqrt(6.0 / (self.inputs + 2 * self.hidden))
            with torch.no_grad():
                self.gates.weight.uniform_(-limit, limit)
                self.gates.bias.zero_()
                self.gates.bias[self.hidden:2 * self.hidden] = 1

        def load_dgm4j(self, w, b):  # w [in + H, 4H] blocks [i f o g]
            with torch.no_grad():
                self.gates.weight.copy_(w.t())
                self.gates.bias.copy_(b)

        def dgm4j_grads(self):
            return self.gates.weight.grad.t(), self.gates.bias.grad

    class CellLstm(nn.Module):
        """nn.LSTMCell: x W_ih^T + b_ih + h W_hh^T + b_hh, blocks [i f g o]."""

        def __init__(self, inputs, hidden):
            super().__init__()
            self.inputs, self.hidden = inputs, hidden
            self.cell = nn.LSTMCell(inputs, hidden)

        def forward(self, parts, state):
            return self.cell(parts[0] if len(parts) == 1 else torch.cat(parts, 1), state)

        def init_like_dgm4j(self):
            limit = math.sqrt(6.0 / (self.inputs + 2 * self.hidden))
            with torch.no_grad():
                for w in (self.cell.weight_ih, self.cell.weight_hh):
                    w.uniform_(-limit, limit)
                self.cell.bias_ih.zero_()
                self.cell.bias_hh.zero_()
                self.cell.bias_ih[self.hidden:2 * self.hidden] = 1

        def order(self):  # dgm4j's [i f o g] columns in LSTMCell's order [i f g o]
            H = self.hidden
            return torch.cat([torch.arange(0, 2 * H), torch.arange(3 * H, 4 * H), torch.arange(2 * H, 3 * H)])

        def load_dgm4j(self, w, b):
            idx = self.order()
            with torch.no_grad():
                self.cell.weight_ih.copy_(w[:self.inputs, idx].t())
                self.cell.weight_hh.copy_(w[self.inputs:, idx].t())
                self.cell.bias_ih.copy_(b[idx])
                self.cell.bias_hh.zero_()

        def dgm4j_grads(self):
            inv = torch.argsort(self.order())
            w = torch.cat([self.cell.weight_ih.grad, self.cell.weight_hh.grad], 1).t()[:, inv]
            return w, self.cell.bias_ih.grad[inv]   # bias_hh gets the same gradient (a second copy of the bias)

    def glorot(linear):
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)

    class Draw(nn.Module):
        def __init__(self, a, lstm="fused"):
            super().__init__()
            self.a = a
            H, W = a["height"], a["width"]
            self.att = a["attention"]
            read = 2 * a["read_n"] ** 2 if self.att else 2 * H * W
            Lstm = FusedLstm if lstm == "fused" else CellLstm
            self.encoder = Lstm(read + a["decoder_size"], a["encoder_size"])
            self.decoder = Lstm(a["latent"], a["decoder_size"])
            self.q_mean = nn.Linear(a["encoder_size"], a["latent"])
            self.q_log_sigma = nn.Linear(a["encoder_size"], a["latent"])
            if self.att:
                self.read_window = nn.Linear(a["decoder_size"], 5)
                self.write_window = nn.Linear(a["decoder_size"], 5)
                self.write_patch = nn.Linear(a["decoder_size"], a["write_n"] ** 2)
            else:
                self.write = nn.Linear(a["decoder_size"], H * W)
            self.encoder_h0 = nn.Parameter(torch.zeros(a["encoder_size"]))
            self.decoder_h0 = nn.Parameter(torch.zeros(a["decoder_size"]))
            self.canvas0 = nn.Parameter(torch.zeros(H * W))
            self.register_buffer("pos_x", torch.arange(1, W + 1, dtype=torch.float32))
            self.register_buffer("pos_y", torch.arange(1, H + 1, dtype=torch.float32))

        # the tensor names of dgm4j's model file -> (module parameter, transpose?)
        def dgm4j_names(self):
            m = {"q.mean.weight": (self.q_mean.weight, True), "q.mean.bias": (self.q_mean.bias, False),
                 "q.log_sigma.weight": (self.q_log_sigma.weight, True), "q.log_sigma.bias": (self.q_log_sigma.bias, False),
                 "encoder.h0": (self.encoder_h0, False), "decoder.h0": (self.decoder_h0, False),
                 "canvas0": (self.canvas0, False)}
            if self.att:
                for name, lin in (("read.window", self.read_window), ("write.window", self.write_window),
                                  ("write.patch", self.write_patch)):
                    m[name + ".weight"], m[name + ".bias"] = (lin.weight, True), (lin.bias, False)
            else:
                m["write.weight"], m["write.bias"] = (self.write.weight, True), (self.write.bias, False)
            return m

        def init_like_dgm4j(self, train_mean):
            self.encoder.init_like_dgm4j()
            self.decoder.init_like_dgm4j()
            for lin in (self.q_mean, self.q_log_sigma) + ((self.read_window, self.write_window, self.write_patch)
                                                          if self.att else (self.write,)):
                glorot(lin)
            with torch.no_grad():
                if self.att:
                    self.read_window.bias[2] = 2 * math.log(0.5 * self.spread(self.a["read_n"]))
                    self.write_window.bias[2] = 2 * math.log(0.5 * self.spread(self.a["write_n"]))
                p = train_mean.clamp(1e-4, 1 - 1e-4)
                self.canvas0.copy_(torch.log(p / (1 - p)))

        def load_dgm4j(self, tensors):
            for name, (param, transpose) in self.dgm4j_names().items():
                v = tensors[name]
                with torch.no_grad():
                    param.copy_(v.t() if transpose else v)
            self.encoder.load_dgm4j(tensors["encoder.weight"], tensors["encoder.bias"])
            self.decoder.load_dgm4j(tensors["decoder.weight"], tensors["decoder.bias"])

        def dgm4j_grads(self):
            g = {name: (p.grad.t() if t else p.grad) for name, (p, t) in self.dgm4j_names().items()}
            g["encoder.weight"], g["encoder.bias"] = self.encoder.dgm4j_grads()
            g["decoder.weight"], g["decoder.bias"] = self.decoder.dgm4j_grads()
            return g

        def spread(self, n):
            m = max(self.a["width"], self.a["height"]) - 1
            return m / (n - 1) if n > 1 else m

        def filterbank(self, centre, log_var, delta, n, pos):
            """B x n x S: row i the normalised Gaussian over positions 1..S centred at g + (i - n/2 - 0.5) delta."""
            offsets = torch.arange(n, dtype=centre.dtype) + 1 - n / 2 - 0.5
            mu = centre + offsets * delta                                       # B x n
            u = pos.to(centre.dtype) - mu.unsqueeze(2)                          # B x n x S
            return torch.softmax(-u * u * (0.5 * torch.exp(-log_var)).unsqueeze(2), dim=2)

        def window(self, h, linear, n):
            p = linear(h)
            half_a, half_b = (self.a["width"] + 1) / 2, (self.a["height"] + 1) / 2
            gx, gy = p[:, 0:1] * half_a + half_a, p[:, 1:2] * half_b + half_b
            log_var = p[:, 2:3]
            delta = torch.exp(p[:, 3:4]) * self.spread(n)
            return (self.filterbank(gx, log_var, delta, n, self.pos_x), self.filterbank(gy, log_var, delta, n, self.pos_y),
                    p[:, 4:5])

        def read(self, x, x_hat, h_dec):
            if not self.att:
                return torch.cat([x, x_hat], 1)
            fx, fy, log_gamma = self.window(h_dec, self.read_window, self.a["read_n"])
            B, H, W = x.shape[0], self.a["height"], self.a["width"]
            fxt = fx.transpose(1, 2)
            glimpse = [torch.matmul(torch.matmul(fy, img.view(B, H, W)), fxt).flatten(1) for img in (x, x_hat)]
            return torch.cat(glimpse, 1) * torch.exp(log_gamma)

        def write_canvas(self, h_dec):
            if not self.att:
                return self.write(h_dec)
            n = self.a["write_n"]
            fx, fy, log_gamma = self.window(h_dec, self.write_window, n)
            w = self.write_patch(h_dec).view(-1, n, n)
            return torch.matmul(torch.matmul(fy.transpose(1, 2), w), fx).flatten(1) * torch.exp(-log_gamma)

        def forward(self, x, noise=None):
            """Loss (mean over the batch), mean KL, mean reconstruction; noise: a list of T B x Z tensors, or None to
            draw them with torch.randn."""
            a = self.a
            B = x.shape[0]
            h_enc = self.encoder_h0.expand(B, -1)
            h_dec = self.decoder_h0.expand(B, -1)
            c_enc = torch.zeros(B, a["encoder_size"], dtype=x.dtype)
            c_dec = torch.zeros(B, a["decoder_size"], dtype=x.dtype)
            canvas = self.canvas0.expand(B, -1)
            kl = 0
            for t in range(a["steps"]):
                x_hat = x - torch.sigmoid(canvas)
                r = self.read(x, x_hat, h_dec)
                h_enc, c_enc = self.encoder([r, h_dec], (h_enc, c_enc))
                mu, log_sigma = self.q_mean(h_enc), self.q_log_sigma(h_enc)
                eps = torch.randn(B, a["latent"], dtype=x.dtype) if noise is None else noise[t]
                z = mu + torch.exp(log_sigma) * eps
                kl = kl + 0.5 * (mu * mu + torch.exp(2 * log_sigma) - 2 * log_sigma - 1).sum(1)
                h_dec, c_dec = self.decoder([z], (h_dec, c_dec))
                canvas = canvas + self.write_canvas(h_dec)
            recon = F.binary_cross_entropy_with_logits(canvas, x, reduction="none").sum(1)
            return (kl + recon).mean(), kl.mean(), recon.mean()

    return Draw


def make_step(torch, model, opt, clip):
    def step(x, noise=None, times=None):
        t0 = time.perf_counter()
        loss, _, _ = model(x, noise)
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t2 = time.perf_counter()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        if times is not None:
            for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                times[i] += d
        return loss.item(), float(norm)
    return step


def new_model(torch, work, train_mean, lstm):
    Draw = build(torch)
    torch.manual_seed(42)
    model = Draw(WORKS[work][0], lstm)
    model.init_like_dgm4j(train_mean)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    return model, opt


def train_work(torch, work, X, train_mean, args, parts=False):
    label = WORKS[work][1]
    model, opt = new_model(torch, work, train_mean, args.lstm)
    step = make_step(torch, model, opt, 1000.0)
    n, B = X.shape[0], BATCH
    per_epoch = n // B
    state = {"perm": None, "i": 0}

    def batch():
        i = state["i"] % per_epoch
        if i == 0:
            state["perm"] = torch.randperm(n)
        state["i"] += 1
        return (torch.rand(B, X.shape[1]) < X[state["perm"][i * B:(i + 1) * B]]).float()

    first, _ = step(batch())
    t0 = time.perf_counter()
    warm = 0
    while time.perf_counter() - t0 < args.warmup_s or warm < args.warmup_steps:
        step(batch())
        warm += 1
    log(f"{label}: warm-up {warm} steps in {time.perf_counter() - t0:.1f} s")
    if parts:
        times, tb = [0.0] * 4, 0.0
        k = max(3, args.steps // 2)
        for _ in range(k):
            a = time.perf_counter()
            x = batch()
            tb += time.perf_counter() - a
            step(x, times=times)
        emit({"kind": "parts", "impl": "torch", "work": work, "steps": k, "s_minibatch": tb / k,
              "s_forward": times[0] / k, "s_backward": times[1] / k, "s_clip": times[2] / k, "s_adam": times[3] / k,
              "s_total": (tb + sum(times)) / k, "note": "forward includes the noise draws (torch.randn inside the loop); "
              "backward includes zero_grad"})
        return
    per = max(1, args.steps // args.chunks)
    s_per_step, cpu_per_step, loss_sum, total = [], [], 0.0, 0.0
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    for c in range(args.chunks):
        cpu = time.process_time()
        a = time.perf_counter()
        for _ in range(per):
            loss_sum += step(batch())[0]
        s = time.perf_counter() - a
        cpu_per_step.append((time.process_time() - cpu) / per)
        total += s
        s_per_step.append(s / per)
        log(f"{label}: chunk {c}: {per} steps, {s:.3f} s ({1e3 * s / per:.1f} ms/step)")
    med = statistics.median(s_per_step)
    emit({"kind": "train", "impl": "torch", "work": work, "label": label, "round": args.round, "lstm": args.lstm,
          "batch": B, "warmup_steps": warm + 1, "steps": per * args.chunks, "chunks": args.chunks,
          "s_per_step_chunks": s_per_step, "s_per_step_median": med, "s_per_step_min": min(s_per_step),
          "s_per_step_max": max(s_per_step), "s_per_step_mean": total / (per * args.chunks),
          "cpu_s_per_step_chunks": cpu_per_step, "cpu_s_per_step_median": statistics.median(cpu_per_step),
          "steps_per_epoch": per_epoch, "s_epoch": med * per_epoch, "extrapolated": True, "loss_first": first,
          "loss_timed_mean": loss_sum / (per * args.chunks), "steps_before_timing": warm + 1,
          "loadavg_before": load_before, "loadavg_after": " ".join(f"{v:.2f}" for v in os.getloadavg())})


# ------------------------------------------------------------------------------------------------------------ check

def check(torch, path, lstm, tol_loss, tol_grad):
    from read_dgm4j_file import read
    meta, tensors, _ = read(path)
    config = json.loads(meta["config"])
    expected = json.loads(meta["check"])
    Draw = build(torch)
    out = {"kind": "check", "impl": "torch", "file": path, "lstm": lstm, "architecture": expected["architecture"],
           "batch": expected["batch"], "dgm4j": {k: expected[k] for k in ("loss", "kl", "reconstruction",
                                                                           "gradient_norm", "loss_after_step")}}
    ok = True
    for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
        t = {k: torch.from_numpy(v[1].copy()).to(dtype) for k, v in tensors.items()}
        model = Draw(config, lstm).to(dtype)
        model.load_dgm4j(t)
        x = t["check.x"]
        B, T = x.shape[0], config["steps"]
        noise = [t["check.noise"][i * B:(i + 1) * B] for i in range(T)]
        loss, kl, recon = model(x, noise)
        loss.backward()
        grads = model.dgm4j_grads()
        worst, worst_name = 0.0, None
        for k, g in grads.items():   # relative to the largest entry of dgm4j's gradient of that tensor
            ref = t["check.grad." + k]
            err = ((g - ref).abs().max() / ref.abs().max().clamp_min(1e-30)).item()
            if err > worst:
                worst, worst_name = err, k
        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), expected["clip_norm"]))
        opt = torch.optim.Adam(model.parameters(), lr=expected["learning_rate"], betas=(0.9, 0.999), eps=1e-8)
        opt.step()
        with torch.no_grad():
            after, _, _ = model(x, noise)
        r = {"loss": loss.item(), "kl": kl.item(), "reconstruction": recon.item(), "gradient_norm": norm,
             "loss_after_step": after.item(), "max_gradient_rel_error": worst, "worst_gradient": worst_name}
        r["rel_error"] = {k: abs(r[k] - expected[k]) / max(abs(expected[k]), 1e-30)
                          for k in ("loss", "kl", "reconstruction", "gradient_norm", "loss_after_step")}
        out[name] = r
        if name == "float32":
            # nn.LSTMCell has two biases (b_ih, b_hh) where dgm4j has one: the loss and the gradients are the same, the
            # global norm counts the bias gradient twice and Adam moves the bias twice, so those two are not compared
            keys = ("loss", "kl", "reconstruction") if lstm == "cell" else tuple(r["rel_error"])
            ok = all(r["rel_error"][k] <= tol_loss for k in keys) and worst <= tol_grad
            out["compared"] = list(keys) + ["gradients"]
    out["tolerances"] = {"values": tol_loss, "gradients": tol_grad}
    out["agree"] = ok
    emit(out)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--warmup-s", type=float, default=5)
    ap.add_argument("--warmup-steps", type=int, default=3)
    ap.add_argument("--gemm-ms", type=float, default=100)
    ap.add_argument("--works", default=",".join(WORKS))
    ap.add_argument("--only", default="gemm,train", help="gemm,train,parts")
    ap.add_argument("--round", type=int, default=0)
    ap.add_argument("--lstm", choices=("fused", "cell"), default="cell",
                    help="cell: nn.LSTMCell (default: the faster of the two here); fused: dgm4j's one gate product")
    ap.add_argument("--check", help="a file written by DrawBenchmark --check: compare instead of timing")
    ap.add_argument("--tol-values", type=float, default=1e-4)
    ap.add_argument("--tol-gradients", type=float, default=1e-3)
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    method, info, _limiter = single_thread()
    if args.check:
        sys.exit(0 if check(torch, args.check, args.lstm, args.tol_values, args.tol_gradients) else 1)
    emit({"kind": "env", "impl": "torch", "torch": torch.__version__, "python": sys.version.split()[0],
          "torch_threads": torch.get_num_threads(), "thread_control": method, "threadpool_info": info,
          "round": args.round, "steps": args.steps, "chunks": args.chunks, "warmup_s": args.warmup_s,
          "lstm": args.lstm, "loadavg": " ".join(f"{v:.2f}" for v in os.getloadavg())})
    only = args.only.split(",")
    if "gemm" in only:
        bench_gemm(torch, args.gemm_ms)
    if "train" in only or "parts" in only:
        t0 = time.perf_counter()
        x, path = load_mnist_images(None)
        X = torch.from_numpy(x)
        log(f"MNIST {X.shape[0]} x {X.shape[1]} from {path} in {time.perf_counter() - t0:.1f} s")
        train_mean = X.mean(0)
        for work in args.works.split(","):
            if "train" in only:
                train_work(torch, work, X, train_mean, args)
            if "parts" in only:
                train_work(torch, work, X, train_mean, args, parts=True)


if __name__ == "__main__":
    main()
