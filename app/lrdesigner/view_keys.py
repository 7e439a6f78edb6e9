"""The view choices a workspace records, by key, and the places the legend can take: shared by
the workspace file and the window's view state (which needs them before any file is read)."""

VIEW_KEYS = ("log_scale", "epochs", "dark")
SMOOTHING = "smoothing"  # view key, version 2: TensorBoard's smoothing weight of logged series
LOSS_LOG = "loss_log"  # view key, version 2: a logarithmic right-hand (loss) axis
LEGEND = "legend"  # view key, version 2: where the legend goes
#: Where the legend can go: "auto" (top right, once there is more than the design to tell
#: apart), a corner, or "hidden".
LEGEND_PLACES = ("auto", "top-right", "top-left", "bottom-right", "bottom-left", "hidden")
V2_VIEW_KEYS = (SMOOTHING, LOSS_LOG, LEGEND)
