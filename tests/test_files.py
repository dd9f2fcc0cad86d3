"""Safe file writes: a failed or interrupted write leaves the previous file whole and no partial file."""
import os
import subprocess
import sys
import textwrap

import pytest

from groupmat._files import atomic_write, check_target


def test_a_write_replaces_the_file_whole(tmp_path):
    path = tmp_path / "a.bin"
    atomic_write(path, lambda f: f.write(b"old"))
    atomic_write(path, lambda f: f.write(b"new contents"))
    assert path.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["a.bin"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.bin"
    atomic_write(path, lambda f: f.write(b"good"))

    def fails(f):
        f.write(b"partial")
        raise RuntimeError("writer died")

    with pytest.raises(RuntimeError, match="writer died"):
        atomic_write(path, fails)
    assert path.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["a.bin"]


def test_a_file_size_limit_leaves_the_old_file(tmp_path):
    # a child process with RLIMIT_FSIZE: the write fails with EFBIG (SIGXFSZ ignored), as on a full disk
    path = tmp_path / "a.bin"
    path.write_bytes(b"good")
    code = textwrap.dedent(f"""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        from groupmat._files import atomic_write
        try:
            atomic_write({str(path)!r}, lambda f: f.write(b"x" * 100000))
        except OSError as err:
            print("refused", err.errno)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "refused" in out.stdout, out.stderr
    assert path.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["a.bin"]


def test_a_killed_writer_leaves_the_old_file(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"good")
    code = textwrap.dedent(f"""
        import os, signal
        from groupmat._files import atomic_write
        def die(f):
            f.write(b"half")
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        atomic_write({str(path)!r}, die)
    """)
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert path.read_bytes() == b"good"          # a stray temporary may remain, the target is whole


def test_permissions_of_a_replaced_file_are_kept(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    atomic_write(path, lambda f: f.write(b"new"))
    assert (os.stat(path).st_mode & 0o777) == 0o600


@pytest.mark.parametrize("target, message", [
    ("/dev/full", "not a regular file"),
    ("/dev/null", "not a regular file"),
])
def test_devices_are_refused_before_writing(target, message):
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist on this system")
    with pytest.raises(ValueError, match=message):
        atomic_write(target, lambda f: f.write(b"x"))


def test_a_folder_and_a_missing_folder_are_refused(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        check_target(tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        check_target(tmp_path / "missing" / "a.bin")
    with pytest.raises(TypeError, match="file path"):
        check_target(3)
    with pytest.raises(ValueError, match="non-empty"):
        check_target("")

