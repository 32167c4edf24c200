"""Read a file named by a pull request's content: a regular file of bounded size, or an error.

A configuration, a rule file, a symbol list or an article path may point anywhere a
committed symlink can: `/dev/zero` would fill memory, a FIFO or `/dev/stdin` would block for
ever (and in the language server, read the editor's own messages).  The file is opened
without blocking, checked on the open descriptor (so a swap after the check cannot
matter), and read no further than its limit.
"""

from __future__ import annotations

import errno
import os
import stat

MiB = 1024 * 1024


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of `path`; OSError (with a readable `strerror`) when it is not a regular
    file or is larger than `limit` bytes, as when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, pipe or socket)", path)
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit // MiB} MiB", path)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # it grew after the check
            raise OSError(errno.EFBIG, f"larger than {limit // MiB} MiB", path)
        return data
    finally:
        os.close(fd)


def read_regular_text(path: str, limit: int) -> str:
    """`read_regular` decoded as UTF-8 (UnicodeDecodeError when it is not)."""
    return read_regular(path, limit).decode("utf-8")
