"""PyTorch layers for (approximately) equivariant networks on signals over a finite group.

Needs the ``torch`` extra (``pip install groupmat[torch]``); nothing in the core of groupmat imports
this package. Signals are tensors of shape ``(batch, channels, |G|)``, the last axis in the group's
element order, and ``G`` acts on that axis by the left regular representation
``(L(k) x)(g) = x(k^-1 g)`` (:func:`regular_action`).

- :class:`GroupConv`: exact group convolution, ``y[b, o, g] = sum_{i, h} w[o, i](g^-1 h) x[b, i, h]``
  (a group matrix per channel pair), by FFT (products of cyclic groups, dihedral groups), a dense
  gathered matrix, or index gathering over a small kernel support.
- :class:`GroupLDRLinear`: the GM-LDR layer ``M_b + gamma sum_r diag(v_r) M_{u_r}`` per channel pair;
  rank 0 (or ``gamma = 0``) is exactly equivariant.
- :class:`ProjectionPenalty`: ``lambda ||W - P(W)||_F`` of a weight for given representations, in a
  spatial and a spectral form, differentiable, equal to :func:`groupmat.equivariance_defect`.

Dtypes, as in ``torch.nn``: a layer's input must have the dtype of its parameters (float16,
bfloat16, float32, float64, or complex64/complex128 after ``layer.to(torch.complex64)``); another
dtype (float64 into a float32 layer, a complex signal into a real layer, integers) is a TypeError
naming ``x`` and both dtypes. On the FFT route float16 and bfloat16 are transformed in float32 and
the result cast back. An empty batch gives an empty result of shape ``(0, out, |G|)``.
"""
try:
    import torch as _torch  # noqa: F401
except ImportError as _err:  # pragma: no cover - exercised only without torch
    raise ImportError("groupmat.torch needs PyTorch: pip install 'groupmat[torch]'") from _err

from .approx import ApproxGroupConv, layer_defect
from .conv import GroupConv, group_conv, regular_action, stencil_support
from .gm_ldr_layer import GroupLDRLinear
from .penalty import ProjectionPenalty
from .pooling import CosetPool, CosetUnpool, StridePool

__all__ = ["GroupConv", "GroupLDRLinear", "ProjectionPenalty", "group_conv", "regular_action", "stencil_support",
           "ApproxGroupConv", "layer_defect", "CosetPool", "CosetUnpool", "StridePool"]
