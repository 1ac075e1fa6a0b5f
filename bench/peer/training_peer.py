"""The PyTorch peer of `ldaformer train`: training steps per second of the one-layer model on the paper's
synthetic scenario, written as one would with PyTorch's autograd and Adam (Debian's python3-torch, installed by
`scripts/bootstrap.sh --bench`; never needed by the tests).

Two settings, both cross-entropy, Adam (lr 0.01), minibatches of 40 documents of a static-masked sampled corpus,
the selected positions as targets, one-hot embedding input x, d = n = 101, identity decoder:
  value      attention frozen uniform over all positions, only W^V trained: y = W^V xbar;
  full       E, W^K, W^Q and W^V trained, keys only the unselected positions (the authors' setting).
The scenario is monte_carlo_peer.py's. Prints one JSON line: steps, seconds, steps_per_second, first and last
minibatch loss, dtype, threads.
"""

import argparse
import json
import math
import time

import torch

import monte_carlo_peer as mc


def forward(params, setting, inputs, words, selected, valid):
    """Mean cross-entropy over the selected targets of a minibatch."""
    per_doc = selected.sum(1)
    S = int(per_doc.max())
    order = torch.argsort((~selected).to(torch.int8), dim=1, stable=True)[:, :S]
    query_valid = torch.arange(S).unsqueeze(0) < per_doc.unsqueeze(1)
    targets = torch.gather(words, 1, order)
    if setting == "value":
        (W_V,) = params
        counts = torch.zeros(inputs.shape[0], mc.n, dtype=W_V.dtype)
        counts.scatter_add_(1, inputs, valid.to(W_V.dtype))
        xbar = counts / valid.sum(1, keepdim=True)  # uniform attention over all positions
        y = (xbar @ W_V.t()).unsqueeze(1).expand(-1, S, -1)  # every target of a document reads the same xbar
    else:
        E, W_K, W_Q, W_V = params
        h = E.t()[inputs]  # batch x N x d
        keys_valid = valid & ~selected  # unselected keys
        hq = torch.gather(h, 1, order.unsqueeze(-1).expand(-1, -1, h.shape[-1]))
        k = (h @ W_K.t()).transpose(1, 2)  # batch x d_k x N
        scores = mc.bmm(hq @ W_Q.t(), k) / math.sqrt(W_K.shape[0])
        scores = scores.masked_fill(~keys_valid.unsqueeze(1), float("-inf"))
        attention = torch.nan_to_num(torch.softmax(scores, dim=-1))  # an empty key set gives y = 0
        y = mc.bmm(attention, h @ W_V.t())
    token = torch.logsumexp(y, -1) - torch.gather(y, 2, targets.unsqueeze(-1)).squeeze(-1)
    return token.masked_fill(~query_valid, 0.0).sum() / per_doc.sum()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setting", choices=["value", "full"], default="value")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--init-scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.steps < 1 or args.batch < 1 or args.docs < args.batch or args.threads < 1:
        parser.error(f"--steps, --batch, --threads must be >= 1 and --docs >= --batch, got {args.steps}, "
                     f"{args.batch}, {args.threads}, {args.docs}")
    torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    corpus = mc.sample_batch(args.docs, gen, dtype)  # static masking: drawn once
    shapes = [(mc.n, mc.n)] if args.setting == "value" else [(mc.n, mc.n)] * 4
    params = [(args.init_scale * torch.randn(*s, generator=gen, dtype=dtype)).requires_grad_() for s in shapes]
    optimizer = torch.optim.Adam(params, lr=0.01)
    losses = []
    start = time.perf_counter()
    for step in range(args.steps):
        rows = torch.randint(0, args.docs, (args.batch,), generator=gen)
        loss = forward(params, args.setting, *(t[rows] for t in corpus))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    seconds = time.perf_counter() - start
    print(json.dumps({"setting": args.setting, "steps": args.steps, "seconds": seconds,
                      "steps_per_second": args.steps / seconds, "first_loss": losses[0], "last_loss": losses[-1],
                      "dtype": args.dtype, "threads": args.threads}))


if __name__ == "__main__":
    main()
