"""Side panels: segments, design properties, metrics, advice and layers."""
