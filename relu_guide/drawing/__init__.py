"""The drawing: everything that imports matplotlib.

One style (light and dark), the views shared by figures and animations, the figures of runs, of
activations and of studies, and the animation encoder (blitted frames piped to ffmpeg).
"""
