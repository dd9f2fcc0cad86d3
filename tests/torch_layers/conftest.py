"""Run the torch tests on one intra-op thread: the tensors are tiny, and on a loaded 2-core machine an
OpenMP barrier around each small FFT can cost milliseconds (thousands of times the FFT itself)."""
import pytest


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
