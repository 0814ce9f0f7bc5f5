"""The studies: many small nets trained at once by one batched engine, frozen result records out.

Each module is one study (widths, dead units, gradients through depth, depth against width) built
on :func:`relu_guide.studies.engine.train_many`. Nothing here imports matplotlib or the drawing part.
"""
