"""Writing files so that a reader never sees half of one, and locking the output folder.

Why: scheduled builds get killed (timeouts, reboots) and distribution steps read
``dist/`` at any moment. A PDF is written to a hidden temporary file in the same
folder, flushed to disk, then renamed over the old one: the old or the new file,
never a partial one. (``click.open_file(atomic=True)`` replaces the old file even
when the write fails, so it is not used.) The output folder may come from a CI
cache or a careless copy, so nothing here follows a link it did not expect: the
lock file is opened without following links, and a rename replaces a link
rather than writing through it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

TEMP_SUFFIX = ".partial"
LOCK_NAME = ".briefing.lock"


def write_atomic(data: bytes, dest: Path) -> None:
    """Write ``data`` to ``dest`` atomically; on any failure the old ``dest`` is untouched.

    A failure is an ``OSError`` naming ``dest`` (never the temporary file).
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=TEMP_SUFFIX, dir=dest.parent)
    except FileExistsError:  # mkdir's word when a folder on the way is a file
        blocker = next((p for p in dest.parents if p.exists() and not p.is_dir()), dest.parent)
        why = f"{blocker} is a file, not a folder"
        raise NotADirectoryError(errno.ENOTDIR, why, str(dest)) from None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(dest)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if dest.is_dir() and not dest.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(dest))
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OSError(exc.errno, exc.strerror, str(dest)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files a killed build left behind (call with the lock held)."""
    removed = []
    with contextlib.suppress(OSError):
        for path in folder.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(path.lstat().st_mode):
                    path.unlink()
                    removed.append(path)
    return removed


def prepare_folder(folder: Path) -> None:
    """Make the output folder; an ``OSError`` that says what is wrong with it if that fails.

    A link to a folder is followed (a deliberate choice of the user's); a dangling
    one is named as such, not as "File exists".
    """
    if folder.is_symlink() and not folder.exists():
        target = os.readlink(folder)
        raise FileNotFoundError(
            errno.ENOENT, f"it is a symbolic link to {target}, which does not exist", str(folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(
            errno.ENOTDIR, "it exists and is not a folder", str(folder)
        ) from None


def _open_lock(path: Path) -> tuple[int, bool]:
    """The lock file's descriptor (not inherited by programs this one runs, links never
    followed) and whether a link had to be replaced by a real lock file."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(path, flags, 0o644), False
    except OSError as exc:
        if exc.errno != errno.ELOOP or not path.is_symlink():
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    # A link where the lock belongs: it was never made by a build. Replace the link itself
    # (its target is never touched) by a real lock file.
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    try:
        return os.open(path, flags, 0o644), True
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


@contextlib.contextmanager
def locked(
    folder: Path,
    *,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
    on_replaced: Callable[[Path], None] | None = None,
) -> Iterator[int | None]:
    """Hold an exclusive lock on ``folder``: yields the lock's file descriptor, or None if
    ``wait`` is off and another build holds it.

    The lock is an advisory ``flock`` on a hidden file: the kernel releases it when
    the process dies, so a killed build never leaves the folder locked. Worker
    processes must close the descriptor they inherit (``fork`` copies it), or
    they would hold the lock on after the build died.
    """
    prepare_folder(folder)
    fd, replaced = _open_lock(folder / LOCK_NAME)
    if replaced and on_replaced is not None:
        on_replaced(folder / LOCK_NAME)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield None
                return
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_plain_file(path: Path) -> bool:
    """A regular file, not a link, folder or device (``lstat``: links are not followed)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
