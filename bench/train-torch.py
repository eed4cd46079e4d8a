# bench/train-torch.py: the PyTorch peer of bench/train.ts (one thread, CPU).
# Trains the same model as the Stratus trial on the same rows that bench/train.ts wrote as raw
# float32 files, with the same batch size, Adam learning rate, epochs and per-epoch validation
# (evaluation batch 1,024), and prints one JSON line: samples/s over epochs 2..N and the last
# validation accuracy. Run by bench/train.ts, never on its own:
#   /usr/bin/python3 bench/train-torch.py <spec.json>
import json
import sys
import time

import numpy as np
import torch
from torch import nn

EVAL_BATCH = 1024


def load(path, rows, width):
    return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(rows, width))


def build(spec):
    classes = spec["classes"]
    if spec["kind"] == "dnn":
        layers, width = [], spec["inputShape"][0]
        for units in spec["hiddenUnits"]:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        return nn.Sequential(*layers, nn.Linear(width, classes))
    height, width, channels = spec["inputShape"]
    layers = []
    for filters in (16, 32):
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2)]
        channels, height, width = filters, height // 2, width // 2
    layers.append(nn.Flatten())
    size = channels * height * width
    for units in spec["hiddenUnits"]:
        layers += [nn.Linear(size, units), nn.ReLU()]
        size = units
    return nn.Sequential(*layers, nn.Linear(size, classes))


def shaped(xs, spec):
    """Rows as the model takes them: NHWC images become NCHW."""
    if spec["kind"] == "dnn":
        return xs
    height, width, channels = spec["inputShape"]
    return xs.reshape(-1, height, width, channels).permute(0, 3, 1, 2).contiguous()


def main():
    spec = json.loads(open(sys.argv[1]).read())
    torch.set_num_threads(1)
    torch.manual_seed(spec["seed"])
    width = int(np.prod(spec["inputShape"]))
    classes = spec["classes"]
    train_x = shaped(load(spec["trainX"], spec["trainRows"], width), spec)
    train_y = load(spec["trainY"], spec["trainRows"], classes).argmax(1)
    val_x = shaped(load(spec["valX"], spec["valRows"], width), spec)
    val_y = load(spec["valY"], spec["valRows"], classes).argmax(1)
    model = build(spec)
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learningRate"])
    loss_fn = nn.CrossEntropyLoss()
    batch = spec["batchSize"]
    marks, accuracy = [], 0.0
    for _ in range(spec["epochs"]):
        model.train()
        order = torch.randperm(spec["trainRows"])
        for start in range(0, spec["trainRows"], batch):
            index = order[start : start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, spec["valRows"], EVAL_BATCH):
                logits = model(val_x[start : start + EVAL_BATCH])
                correct += int((logits.argmax(1) == val_y[start : start + EVAL_BATCH]).sum())
        accuracy = correct / max(1, spec["valRows"])
        marks.append(time.perf_counter())
    samples = (len(marks) - 1) * spec["trainRows"]
    print(
        json.dumps(
            {
                "samplesPerSecond": samples / (marks[-1] - marks[0]) if len(marks) > 1 else 0,
                "valAccuracy": accuracy,
                "torch": torch.__version__,
            }
        )
    )


main()
