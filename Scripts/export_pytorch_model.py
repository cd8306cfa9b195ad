#!/usr/bin/env python3
"""Export a PyTorch twin of Earshot's acoustic model to an Earshot model file (.safetensors).

The twin is `torch.nn.LSTM(input_size, hidden, num_layers, bidirectional=True)` (or `torch.nn.GRU(...)`,
told apart by the rows of `weight_hh_l0`: 4H or 3H) followed by
`torch.nn.Linear(2 * hidden, len(alphabet) + 1)` (CTC blank = output 0), fed normalised, stacked
log-mel features. Earshot uses PyTorch's state-dict names and layouts, so the weights are copied as they
are; this script adds the feature normaliser and the metadata Earshot checks when loading:
`format`, `format_version` and `config` (Earshot's AcousticModelConfig as JSON).

Use as a library (see Scripts/fixtures/make_model_fixtures.py) or from the command line with a state
dict saved by `torch.save({"lstm": lstm.state_dict(), "output": linear.state_dict(), "mean": ...,
"inverse_std": ...}, path)`:

    python3 Scripts/export_pytorch_model.py twin.pt model.safetensors --mel-bins 80 --stack 3
"""

import argparse
import json

import numpy as np

FORMAT = "earshot-acoustic-model"
FORMAT_VERSION = 1
ENGLISH = " abcdefghijklmnopqrstuvwxyz'"


def earshot_config(hidden, layers, mel_bins=80, stack=3, dropout=0.0, alphabet=ENGLISH, cell=None):
    """Earshot's AcousticModelConfig as JSON-ready dict: every field, Kaldi-compatible front-end defaults.
    `cell`: "lstm" or "gru"; None leaves the field out, which Earshot reads as "lstm"."""
    config = {
        "formatVersion": FORMAT_VERSION,
        "features": {
            "frame": {
                "sampleRate": 16000, "frameShiftMs": 10, "frameLengthMs": 25, "dither": 0, "ditherSeed": 0,
                "preemphasisCoefficient": 0.97, "removeDCOffset": True, "windowType": "povey",
                "roundToPowerOfTwo": True, "blackmanCoefficient": 0.42, "snipEdges": True,
            },
            "mel": {"binCount": mel_bins, "lowFrequency": 20, "highFrequency": 0},
            "useEnergy": False, "energyFloor": 0, "rawEnergy": True, "useLogFbank": True, "usePower": True,
            "waveformScale": 32768,
        },
        "stacking": {"count": stack, "stride": stack},
        "hiddenSize": hidden,
        "layerCount": layers,
        "dropout": dropout,
        "alphabet": {"characters": alphabet},
    }
    if cell is not None:
        config["cell"] = cell
    return config


def export(lstm_state, output_state, mean, inverse_std, config, path):
    """Writes an Earshot model file. `lstm_state`/`output_state`: state dicts (tensors or arrays) of the
    LSTM and the Linear layer; `mean`, `inverse_std`: (mel_bins,) feature normaliser."""
    from safetensors.numpy import save_file

    def array(x):
        values = x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)
        return np.ascontiguousarray(values, dtype=np.float32)

    tensors = {f"lstm.{k}": array(v) for k, v in lstm_state.items()}
    tensors.update({f"output.{k}": array(v) for k, v in output_state.items()})
    tensors["normalizer.mean"] = array(mean)
    tensors["normalizer.inverse_std"] = array(inverse_std)
    metadata = {"format": FORMAT, "format_version": str(FORMAT_VERSION),
                "config": json.dumps(config, sort_keys=True, separators=(",", ":"))}
    save_file(tensors, path, metadata=metadata)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("state", help="torch.save'd dict with 'lstm', 'output', 'mean', 'inverse_std'")
    parser.add_argument("output", help="Earshot model file to write (.safetensors)")
    parser.add_argument("--mel-bins", type=int, default=80)
    parser.add_argument("--stack", type=int, default=3)
    args = parser.parse_args()
    import torch

    state = torch.load(args.state, map_location="cpu")
    rows, hidden = state["lstm"]["weight_hh_l0"].shape
    cells = {4 * hidden: "lstm", 3 * hidden: "gru"}
    if rows not in cells:
        raise SystemExit(f"weight_hh_l0 has {rows} rows: neither an LSTM's 4H nor a GRU's 3H for H = {hidden}")
    layers = sum(1 for k in state["lstm"] if k.startswith("weight_ih_l") and not k.endswith("_reverse"))
    config = earshot_config(hidden, layers, args.mel_bins, args.stack, cell=cells[rows])
    export(state["lstm"], state["output"], state["mean"], state["inverse_std"], config, args.output)


if __name__ == "__main__":
    main()
