"""The PyTorch peer of `ldaformer loss --model transformer`: the same Monte Carlo work, written as one would in a
notebook with PyTorch (Debian's python3-torch, installed by `scripts/bootstrap.sh --bench`; never needed by the
tests).

The paper's synthetic scenario (T = 10 topics of m = 10 words, v = 100, MASK = token 100, n = 101; theta ~
Dirichlet(0.1); N uniform on 100..150; each position selected with p_m = 0.15 and then showing its word with
p_c = 0.1, a random word with p_r = 0.1, MASK otherwise; keys over all positions), the one-layer model with
one-hot E, d = d_k = n, identity decoder; the loss per selected token, each selected position a target. Documents
are sampled inside the timed region, as ours are. Batches are padded to N = 150 with masked keys; only the
selected positions are queried (scores of shape batch x selected x N), the efficient way to write it.

Prints one JSON line: documents, seconds, documents_per_second, loss, stderr (per selected token, ratio
estimator), dtype, threads. With --params identity (W^K = W^Q = 0, W^V = I) the loss is the exact
uniform-attention loss (0.9677926752 on this scenario): a check that the peer computes the same thing.
"""

import argparse
import json
import math
import time

import torch

T, m, v = 10, 10, 100
n = v + 1
MASK = v
ALPHA, N_MIN, N_MAX = 0.1, 100, 150
P_M, P_C, P_R = 0.15, 0.1, 0.1


class _ContiguousBmm(torch.autograd.Function):
    """torch.bmm whose backward multiplies contiguous copies: Debian's torch 1.13 (generic BLAS, no MKL) runs a
    batched product with a transposed operand about 30x slower than with a contiguous one (0.3 against 9 GFLOP/s
    in float64 on the reference VM), and autograd's own bmm backward passes transposed views."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return torch.bmm(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad = grad.contiguous()
        return torch.bmm(grad, b.transpose(1, 2).contiguous()), torch.bmm(a.transpose(1, 2).contiguous(), grad)


def bmm(a, b):
    """Batched product a @ b of contiguous operands, fast in both directions (see _ContiguousBmm)."""
    return _ContiguousBmm.apply(a.contiguous(), b.contiguous())


def sample_batch(batch, gen, dtype):
    """Masked documents: inputs (batch x N_MAX), words, selected and valid masks."""
    theta = torch.distributions.Dirichlet(torch.full((T,), ALPHA, dtype=dtype)).sample((batch,))
    lengths = torch.randint(N_MIN, N_MAX + 1, (batch,), generator=gen)
    valid = torch.arange(N_MAX).unsqueeze(0) < lengths.unsqueeze(1)
    topics = torch.multinomial(theta, N_MAX, replacement=True, generator=gen)
    words = topics * m + torch.randint(0, m, (batch, N_MAX), generator=gen)
    selected = (torch.rand(batch, N_MAX, generator=gen) < P_M) & valid
    u = torch.rand(batch, N_MAX, generator=gen)
    inputs = words.clone()
    random_word = torch.randint(0, v, (batch, N_MAX), generator=gen)
    inputs = torch.where(selected & (u >= P_C) & (u < P_C + P_R), random_word, inputs)
    inputs = torch.where(selected & (u >= P_C + P_R), torch.full_like(inputs, MASK), inputs)
    return inputs, words, selected, valid


def batch_loss(params, inputs, words, selected, valid, loss_kind):
    """Sum of the per-target losses over the batch, and the number of targets per document."""
    W_K, W_Q, W_V = params
    d_k = W_K.shape[0]
    keys = W_K.t()[inputs].transpose(1, 2)  # batch x d_k x N: W^K E e_x with E = I
    values = W_V.t()[inputs]  # batch x N x d
    per_doc = selected.sum(1)
    S = int(per_doc.max())
    # The selected positions of each document, padded to S.
    order = torch.argsort((~selected).to(torch.int8), dim=1, stable=True)[:, :S]
    query_valid = torch.arange(S).unsqueeze(0) < per_doc.unsqueeze(1)
    q_tokens = torch.gather(inputs, 1, order)
    targets = torch.gather(words, 1, order)
    queries = W_Q.t()[q_tokens]  # batch x S x d_k
    scores = bmm(queries, keys) / math.sqrt(d_k)
    scores = scores.masked_fill(~valid.unsqueeze(1), float("-inf"))
    y = bmm(torch.softmax(scores, dim=-1), values)  # batch x S x n (identity decoder)
    if loss_kind == "squared":
        token = (y * y).sum(-1) - 2.0 * torch.gather(y, 2, targets.unsqueeze(-1)).squeeze(-1) + 1.0
    else:
        token = torch.logsumexp(y, -1) - torch.gather(y, 2, targets.unsqueeze(-1)).squeeze(-1)
    token = token.masked_fill(~query_valid, 0.0)
    return token.sum(1), per_doc


def make_params(kind, seed, dtype):
    gen = torch.Generator().manual_seed(seed)
    if kind == "identity":
        return (torch.zeros(1, n, dtype=dtype), torch.zeros(1, n, dtype=dtype), torch.eye(n, dtype=dtype))
    return (torch.randn(n, n, generator=gen, dtype=dtype), torch.randn(n, n, generator=gen, dtype=dtype),
            torch.randn(n, n, generator=gen, dtype=dtype) / math.sqrt(n))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--loss", choices=["squared", "cross_entropy"], default="squared")
    parser.add_argument("--params", choices=["random", "identity"], default="random")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.documents < 2 or args.batch < 1 or args.threads < 1:
        parser.error(f"--documents must be >= 2, --batch and --threads >= 1, got {args.documents}, "
                     f"{args.batch}, {args.threads}")
    torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    torch.manual_seed(args.seed)  # torch.distributions draws from the default generator
    gen = torch.Generator().manual_seed(args.seed)
    params = make_params(args.params, args.seed, dtype)
    sums, counts = [], []
    start = time.perf_counter()
    with torch.no_grad():
        done = 0
        while done < args.documents:
            batch = min(args.batch, args.documents - done)
            s, c = batch_loss(params, *sample_batch(batch, gen, dtype), args.loss)
            sums.append(s.double())
            counts.append(c.double())
            done += batch
    seconds = time.perf_counter() - start
    s, c = torch.cat(sums), torch.cat(counts)
    # Ratio estimator sum(s) / sum(c) with its delta-method standard error, as ours.
    ratio = float(s.sum() / c.sum())
    resid = s - ratio * c
    stderr = float(math.sqrt(float((resid * resid).sum()) * len(s) / (len(s) - 1)) / float(c.sum()))
    print(json.dumps({"documents": args.documents, "seconds": seconds, "documents_per_second": args.documents / seconds,
                      "loss": ratio, "stderr": stderr, "dtype": args.dtype, "threads": args.threads,
                      "loss_kind": args.loss, "params": args.params}))


if __name__ == "__main__":
    main()
