"""What both plain-PyTorch benchmark peers need: Fashion-MNIST's IDX files, device names read as
saliency-cli reads them, and waiting for a GPU before reading a clock."""
import gzip
import sys

import torch


def read_idx(path):
    """An IDX file (gzipped or not) as a uint8 tensor."""
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).view(shape)


def resolve_device(name):
    """auto, cpu, cuda or cuda:N, as sw::resolveDevice reads them."""
    if name == "auto":
        return torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            sys.exit(f"--device {name}: no GPU is available to this torch; use --device cpu or auto")
        index = 0 if device.index is None else device.index
        if index >= torch.cuda.device_count():
            sys.exit(f"--device {name}: there are {torch.cuda.device_count()} GPUs")
        return torch.device("cuda", index)
    if device.type != "cpu":
        sys.exit(f"--device {name}: expected auto, cpu, cuda or cuda:N")
    return device


def wait_for(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)
