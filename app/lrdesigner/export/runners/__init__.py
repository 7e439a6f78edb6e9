"""Verification runners: one standalone script per target that runs an exported module in its
framework (`driver.py` loads it by file path). Each defines `require()`, which imports the
framework or raises ImportError, and `run(module, steps, walk) -> (framework version, {check
name: values or (steps, values)})`. Standard library only at module level: nothing here imports
LR Designer, and each framework is imported inside the functions."""
