"""The plot: canvas, one graphics item per layer, axes and knot handles."""
