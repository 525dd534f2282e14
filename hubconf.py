"""torch.hub entry points of seresnet, for a clone (source='local') or the GitHub repository:

    torch.hub.load('<clone>', 'se_resnet56', source='local', weights='checkpoint.pt or an exported model.pt')
    torch.hub.load('<clone>', 'se_resnet56', source='local', pretrained=True)  # SE-ResNet-56 trained on CIFAR-10, published here

Entry points: se_resnet20, se_resnet32, se_resnet44, se_resnet56, se_resnet110, and resnet20 ... resnet110 without SE
(torch.hub.list reads GitHub repositories only). The ViTs have none: load their checkpoints with seresnet.predict.load.
With `weights` (a checkpoint written by `fit`/`seresnet_train`, or a file written by `seresnet.predict.export`) or
`pretrained=True` an entry point returns a `seresnet.predict.Predictor`: an `nn.Module` in eval mode whose `predict`
names the classes of images, and whose `model` is the bare network; the weights must be the entry point's network.
Without them it returns an untrained network (`num_classes=10` unless given). See nbs/08_predict.ipynb.
"""
dependencies = ['torch', 'torchvision', 'numpy', 'PIL', 'scipy', 'fastcore']  # what seresnet.predict imports: torch.hub checks them first

from pathlib import Path as _Path
from seresnet.predict import hub_model as _hub_model
_ROOT = _Path(__file__).resolve().parent  # this clone: pretrained=True loads its published weights, whichever seresnet was imported

def se_resnet20(weights=None, **kwargs):  "SE-ResNet-20: a Predictor of `weights`, or untrained."; return _hub_model(20, True, weights, root=_ROOT, **kwargs)
def se_resnet32(weights=None, **kwargs):  "SE-ResNet-32: a Predictor of `weights`, or untrained."; return _hub_model(32, True, weights, root=_ROOT, **kwargs)
def se_resnet44(weights=None, **kwargs):  "SE-ResNet-44: a Predictor of `weights`, or untrained."; return _hub_model(44, True, weights, root=_ROOT, **kwargs)
def se_resnet56(weights=None, **kwargs):  "SE-ResNet-56: a Predictor of `weights`, or untrained."; return _hub_model(56, True, weights, root=_ROOT, **kwargs)
def se_resnet110(weights=None, **kwargs): "SE-ResNet-110: a Predictor of `weights`, or untrained."; return _hub_model(110, True, weights, root=_ROOT, **kwargs)
def resnet20(weights=None, **kwargs):     "ResNet-20 (no SE): a Predictor of `weights`, or untrained."; return _hub_model(20, False, weights, root=_ROOT, **kwargs)
def resnet32(weights=None, **kwargs):     "ResNet-32 (no SE): a Predictor of `weights`, or untrained."; return _hub_model(32, False, weights, root=_ROOT, **kwargs)
def resnet44(weights=None, **kwargs):     "ResNet-44 (no SE): a Predictor of `weights`, or untrained."; return _hub_model(44, False, weights, root=_ROOT, **kwargs)
def resnet56(weights=None, **kwargs):     "ResNet-56 (no SE): a Predictor of `weights`, or untrained."; return _hub_model(56, False, weights, root=_ROOT, **kwargs)
def resnet110(weights=None, **kwargs):    "ResNet-110 (no SE): a Predictor of `weights`, or untrained."; return _hub_model(110, False, weights, root=_ROOT, **kwargs)
