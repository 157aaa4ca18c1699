#!/usr/bin/env python3
"""The reference libraries' time for every method of the method table, on the workload `explain_bench --methods`
times: the same model (rebuilt from our model file by reference_architectures.load_native_model), the same
Fashion-MNIST test images, the predicted class as the target, the same thread count and device, each method with
the workbench's defaults.

    vg, gxi           Captum Saliency(abs=True), InputXGradient
    ig                Captum IntegratedGradients, Gauss-Legendre, 50 steps, internal_batch_size=512 (our chunk)
    sg, vargrad       Captum NoiseTunnel over Saliency(abs=True): 25 samples, sigma 0.15
    gradcam, gradcampp, hirescam, layercam
                      pytorch-grad-cam's GradCAM, GradCAMPlusPlus, HiResCAM, LayerCAM at the default layer
    gbp, ggc          Captum GuidedBackprop, GuidedGradCam at the default layer
    occlusion         Captum Occlusion, 5x5 window over all channels, stride 3, baseline 0
    deeplift          Captum DeepLift, zero baseline
    lrp               Zennit's EpsilonPlusFlat with the canonizers the reference tests use

The layers, canonizers and parameters are those of tests/fixtures/make_method_fixtures.py, whose maps our
methods equal (test_method_references). One untimed VG pass first loads the kernels. Prints one JSON line per
method: {"workload", "device", "seconds", "images_per_second"}, as explain_bench does, for compare_runs.py.
Run it with the venv's Python (scripts/install-deps.sh --print-venv), which holds the pinned libraries.
"""
import argparse
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "fixtures"))
from explain_reference import timed  # noqa: E402
from reference_architectures import load_native_model, read_native_model_file  # noqa: E402
from reference_support import read_idx, resolve_device, wait_for  # noqa: E402
import make_method_fixtures as fixtures  # noqa: E402

CHUNK = 512
SG_SAMPLES, SG_SIGMA = 25, 0.15
OCCLUSION_WINDOW, OCCLUSION_STRIDE = 5, 3


def reference_methods(model, info, layer_name):
    """{method id: function(x, targets)} calling each method's reference library."""
    from captum.attr import (DeepLift, GuidedBackprop, GuidedGradCam, InputXGradient, IntegratedGradients, NoiseTunnel,
                             Occlusion, Saliency)
    import pytorch_grad_cam
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    from zennit.attribution import Gradient
    from zennit.composites import EpsilonPlusFlat

    layer = model.get_submodule(layer_name)

    def cam(class_name):
        def run(x, targets):
            with getattr(pytorch_grad_cam, class_name)(model=model, target_layers=[layer]) as method:
                return method(input_tensor=x, targets=[ClassifierOutputTarget(int(t)) for t in targets])
        return run

    def lrp(x, targets):
        canonizers, _ = fixtures.canonizers_for(info)
        composite = EpsilonPlusFlat(epsilon=1e-6, stabilizer=1e-6, canonizers=canonizers)
        with Gradient(model=model, composite=composite) as attributor:
            return attributor(x, torch.eye(len(info["classes"]), device=x.device)[targets])[1]

    def listed(targets):
        return [int(t) for t in targets]

    channels = info["input_shape"][0]
    return {
        "vg": lambda x, t: Saliency(model).attribute(x, target=t, abs=True),
        "ig": lambda x, t: IntegratedGradients(model).attribute(x, baselines=torch.zeros_like(x), target=t, n_steps=50,
                                                                method="gausslegendre", internal_batch_size=CHUNK),
        "sg": lambda x, t: NoiseTunnel(Saliency(model)).attribute(x, nt_type="smoothgrad", nt_samples=SG_SAMPLES,
                                                                  stdevs=SG_SIGMA, target=t, abs=True),
        "gxi": lambda x, t: InputXGradient(model).attribute(x, target=t),
        "vargrad": lambda x, t: NoiseTunnel(Saliency(model)).attribute(x, nt_type="vargrad", nt_samples=SG_SAMPLES,
                                                                       stdevs=SG_SIGMA, target=t, abs=True),
        "gbp": lambda x, t: GuidedBackprop(model).attribute(x, target=listed(t)),
        "gradcam": cam("GradCAM"),
        "gradcampp": cam("GradCAMPlusPlus"),
        "hirescam": cam("HiResCAM"),
        "layercam": cam("LayerCAM"),
        "ggc": lambda x, t: GuidedGradCam(model, layer).attribute(x, target=listed(t)),
        "occlusion": lambda x, t: Occlusion(model).attribute(
            x, sliding_window_shapes=(channels, OCCLUSION_WINDOW, OCCLUSION_WINDOW),
            strides=(channels, OCCLUSION_STRIDE, OCCLUSION_STRIDE), baselines=0.0, target=t),
        "deeplift": lambda x, t: DeepLift(model).attribute(x, baselines=torch.zeros_like(x), target=t),
        "lrp": lrp,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a native model file (.swm)")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--methods", default="all", help="all, or method ids separated by commas")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    description, _ = read_native_model_file(args.model)
    info = {"arch": description["arch"], "input_shape": description["input_shape"], "classes": description["classes"]}
    model = load_native_model(args.model).to(device).eval()
    layer_name = fixtures.default_target_layer(model, info)
    methods = reference_methods(model, info, layer_name)
    wanted = list(methods) if args.methods == "all" else args.methods.split(",")
    unknown = [name for name in wanted if name not in methods]
    if unknown:
        parser.error(f"--methods: no reference for {', '.join(unknown)} (known: {', '.join(methods)})")
    images = read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz")[: args.images]
    x = (images.unsqueeze(1).float() / 255).to(device)
    with torch.no_grad():
        targets = model(x).argmax(1)
    methods["vg"](x, targets)  # not timed: loads the kernels
    wait_for(device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Captum's and Zennit's notes about hooks and non-leaf inputs
        for name in wanted:
            timed(name, x.shape[0], device, lambda: methods[name](x.clone(), targets))


if __name__ == "__main__":
    main()
