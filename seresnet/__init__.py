"""Squeeze-and-Excitation ResNets (Hu, Shen, Sun, CVPR 2018) for 32x32 images, built step by step in the notebooks of
`nbs/` and exported here, one module per concept, in the order data flows:

- `layers` (the SE module and the residual block), `model` (SE-ResNet-20 ... 110 and the plain ResNet), `flops` (what SE costs)
- `data` (datasets into one uint8 tensor per split), `batches` (each epoch's augmentations on the training device)
- `recipes` (named hyper-parameters), `step` (one training step, compiled and captured on a GPU), `train` (`fit`)
- `predict` (a trained checkpoint on new images), `excitations` (what the gates learn), `vit` (ViTs to compare with)
- `bench` (how fast each part runs), `core` (checks, safe files, the record of what ran)

Train: `from seresnet.train import fit; fit(dataset='cifar10', epochs=30)`, or `seresnet_train --help` in a shell.
"""
__version__ = "0.1.0"
