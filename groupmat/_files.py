"""Safe file writes: a file is replaced whole or not at all.

:func:`atomic_write` writes to a temporary file in the target's folder, flushes and ``fsync``\\ s it,
then renames it over the target (``os.replace``, atomic on POSIX and Windows) and ``fsync``\\ s the
folder. On any error (a full disk, a size limit, an exception of the writer, an interrupt) the
temporary file is removed and the previous file, if any, is left untouched: a save never destroys
the file it replaces. :func:`check_target` refuses targets that are not regular files (a folder, a
device such as ``/dev/full``, a pipe) and read-only files before anything is written.

Symbolic links are followed: saving to a link replaces the file it points to (atomically, in that
file's folder) and keeps the link, as writing to it with ``open`` would. A read-only target (no write
permission bit, e.g. mode ``0444``) is refused with a ``PermissionError`` naming it, not silently
replaced (renaming over a file needs only the folder's permission).

Examples
--------
>>> import os, tempfile
>>> from groupmat._files import atomic_write
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "a.txt")
>>> _ = atomic_write(path, lambda f: f.write(b"first"))
>>> def broken(f):
...     f.write(b"half")
...     raise OSError("disk full")
>>> try:
...     atomic_write(path, broken)
... except OSError as err:
...     print(err)
disk full
>>> open(path, "rb").read(), sorted(os.listdir(folder))
(b'first', ['a.txt'])
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable

__all__ = ["atomic_write", "check_target"]


def check_target(path, name: str = "path", writable: bool = True) -> str:
    """Return ``path`` as a string after refusing a target that is not a regular file to be written.

    Raises
    ------
    TypeError
        ``path`` is not a str or ``os.PathLike``.
    ValueError
        ``path`` is empty, is a folder, a device, a pipe or another non-regular file, or its folder
        does not exist.
    PermissionError
        ``path`` (or the file a symbolic link points to) is a read-only file (when ``writable``: pass
        False to check only the kind of a path that is not the one written, e.g. before a suffix is
        appended).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike file path, got {type(path).__name__}")
    path = os.fspath(path)
    if not path:
        raise ValueError(f"{name} must be a non-empty file path")
    if os.path.lexists(path):
        mode = os.stat(path).st_mode if os.path.exists(path) else os.lstat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ValueError(f"{name} {path!r} is a folder; give a file path inside it")
        if not stat.S_ISREG(mode):
            raise ValueError(f"{name} {path!r} is not a regular file (a device, pipe or socket); "
                             "groupmat writes only regular files")
        if writable and os.path.exists(path) and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionError(errno.EACCES, f"{name} {path!r} is a read-only file (mode "
                                  f"{stat.S_IMODE(mode):o}); groupmat does not replace it: make it writable "
                                  "(chmod u+w) or choose another path", path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"{name} {path!r}: the folder {folder!r} does not exist")
    return path


def atomic_write(path, writer: Callable, name: str = "path") -> str:
    """Write a file by ``writer(fileobj)`` so that ``path`` ends up either the complete new file or
    unchanged.

    Parameters
    ----------
    path : str or os.PathLike
        The target (checked by :func:`check_target`).
    writer : callable
        Called once with a binary file object open for writing (a temporary file in the same folder).
    name : str
        How to call ``path`` in error messages.

    Returns
    -------
    str
        The path written (as given: a symbolic link stays a link, the file it points to is replaced).

    Notes
    -----
    The new file gets the permissions a newly created file would get (``0o666`` less the umask), or
    the previous file's permissions when it replaces one.
    """
    path = check_target(path, name)
    target = os.path.realpath(path)          # through symbolic links: replace the file, keep the link
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(prefix=".groupmat-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(target):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return path
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover - file systems that refuse fsync on folders
        pass
    finally:
        os.close(dir_fd)
    return path
