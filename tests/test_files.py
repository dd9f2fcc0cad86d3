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



# ------------------------------------------------------------------ issue 12 (audit): links and read-only targets
def test_saving_through_a_symbolic_link_replaces_the_file_it_points_to(tmp_path):
    """The link stays a link and the file it points to gets the new content, replaced whole (before,
    the link itself was replaced by a regular file and the file it pointed to kept its old content)."""
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "data.bin"
    real.write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(real)
    assert atomic_write(link, lambda f: f.write(b"new")) == str(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new" and link.read_bytes() == b"new"
    assert sorted(os.listdir(real_dir)) == ["data.bin"] and sorted(os.listdir(tmp_path)) == ["link.bin", "real"]
    # a failed write through the link leaves both untouched
    with pytest.raises(RuntimeError):
        atomic_write(link, lambda f: (f.write(b"half"), (_ for _ in ()).throw(RuntimeError("died"))))
    assert real.read_bytes() == b"new" and link.is_symlink() and sorted(os.listdir(real_dir)) == ["data.bin"]


def test_a_link_to_a_link_and_a_relative_link_are_followed(tmp_path):
    real = tmp_path / "a.bin"
    real.write_bytes(b"old")
    (tmp_path / "b.bin").symlink_to("a.bin")                 # relative
    (tmp_path / "c.bin").symlink_to(tmp_path / "b.bin")      # to a link
    atomic_write(tmp_path / "c.bin", lambda f: f.write(b"new"))
    assert real.read_bytes() == b"new"
    assert (tmp_path / "b.bin").is_symlink() and (tmp_path / "c.bin").is_symlink()


def test_a_read_only_target_is_refused_and_left_untouched(tmp_path):
    """A file without write permission (0444) was silently replaced (a rename needs only the folder's
    permission); it is refused with a PermissionError naming it, through a link too."""
    path = tmp_path / "frozen.bin"
    path.write_bytes(b"keep")
    path.chmod(0o444)
    link = tmp_path / "link.bin"
    link.symlink_to(path)
    try:
        for target in (path, link):
            with pytest.raises(PermissionError, match=r"frozen\.bin' is a read-only file \(mode 444\)|"
                                                      r"link\.bin' is a read-only file \(mode 444\)"):
                atomic_write(target, lambda f: f.write(b"new"))
        assert path.read_bytes() == b"keep" and sorted(os.listdir(tmp_path)) == ["frozen.bin", "link.bin"]
    finally:
        path.chmod(0o644)
    atomic_write(path, lambda f: f.write(b"new"))            # writable again: replaced
    assert path.read_bytes() == b"new"


def test_savers_refuse_a_read_only_file_and_follow_links(tmp_path):
    """The same rules through save_npz: a read-only .npz is refused and kept; the path as given before
    ``.npz`` is appended is not the one written, so only the written file's permission matters."""
    import groupmat as gm

    frozen = tmp_path / "frozen.npz"
    gm.save_npz(frozen, gm.cyclic(3))
    before = frozen.read_bytes()
    frozen.chmod(0o444)
    try:
        with pytest.raises(PermissionError, match=r"frozen\.npz' is a read-only file"):
            gm.save_npz(frozen, gm.cyclic(4))
        assert frozen.read_bytes() == before
        plain = tmp_path / "plain"
        plain.write_bytes(b"x")
        plain.chmod(0o444)
        assert gm.load_npz(gm.save_npz(plain, gm.cyclic(5))).order == 5     # writes plain.npz
    finally:
        frozen.chmod(0o644)
    link = tmp_path / "link.npz"
    link.symlink_to(frozen)
    gm.save_npz(link, gm.dihedral(4))
    assert link.is_symlink() and gm.load_npz(frozen).name == "D4"
