"""Export of groupmat objects to NumPy, SciPy, PyTorch, JAX, files and LaTeX."""
__all__: list[str] = []
