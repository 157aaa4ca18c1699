#!/usr/bin/python3
"""Downloads CIFAR-10 (binary version) or ImageNette for users with internet, verifies the MD5 checksum
and unpacks it. Never used by the build or the tests.

usage: datasets/download.py cifar10|imagenette|imagenette-320|imagenette-160 [--dest DIR]
Then:  saliency-cli train --dataset cifar10:DIR/cifar-10-batches-bin ...
       saliency-cli train --dataset imagefolder:DIR/imagenette2 --arch resnet18-imagenet ...
"""
import argparse
import hashlib
import os
import sys
import tarfile
import tempfile
import urllib.request

SOURCES = {
    "cifar10": ("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"),
    "imagenette": ("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2.tgz", "fe2fc210e6bb7c5664d602c3cd71e612"),
    "imagenette-320": ("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-320.tgz", "3df6f0d01a2c9592104656642f5e78a3"),
    "imagenette-160": ("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz", "e793b78cc4c9e9a4ccc0c1155377a412"),
}


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(SOURCES))
    parser.add_argument("--dest", default=os.path.expanduser("~/.local/share/saliency-workbench/datasets"))
    args = parser.parse_args()
    url, expected = SOURCES[args.name]
    os.makedirs(args.dest, exist_ok=True)
    archive = os.path.join(args.dest, os.path.basename(url))
    if not os.path.exists(archive) or md5_of(archive) != expected:
        print(f"downloading {url}")
        # Download next to the target and rename, so an interrupted download never looks complete.
        handle, partial = tempfile.mkstemp(dir=args.dest, suffix=".part")
        os.close(handle)
        try:
            urllib.request.urlretrieve(url, partial)
            actual = md5_of(partial)
            if actual != expected:
                sys.exit(f"{url}: checksum mismatch (expected {expected}, got {actual}); not unpacked")
            os.replace(partial, archive)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    print(f"unpacking {archive} into {args.dest}")
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(args.dest, member.name))
            if not target.startswith(os.path.realpath(args.dest) + os.sep):
                sys.exit(f"{archive}: refusing to unpack {member.name} outside {args.dest}")
        tar.extractall(args.dest)
    print("done:", args.dest)


if __name__ == "__main__":
    main()
