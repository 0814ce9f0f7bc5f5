"""The core: what a run is and what a ReLU net computes.

Activations, targets (and the safe formula parser), :class:`~relu_guide.core.experiment.Experiment`,
:func:`~relu_guide.core.training.train` and its :class:`~relu_guide.core.training.Run`, the analysis
of a trained net (kinks, pieces), the best possible piecewise-linear fits, and the hand-built
sawtooth net. Nothing here imports matplotlib or the drawing part.
"""
