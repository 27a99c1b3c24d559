"""Reading any input file (plan, dispatch, score sheet): its bytes and its text, or one error.

Work on input is bounded: only regular files are read (a FIFO or a device would block or never
end), a file larger than `MAX_INPUT_BYTES` is refused before it is read, and an Office file
(a zip of XML) is checked for its members' uncompressed size, their number and DTDs before
any XML parser sees it.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from thidua.errors import PlanFileError
from thidua.i18n import N_, _

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_OFFICE_MEMBERS",
    "MAX_OFFICE_UNCOMPRESSED",
    "check_office_zip",
    "decode_input",
    "read_input",
    "refuse_crowded_parts",
    "same_file",
]

# Three times a 100,000-unit plan (about 10 MB; the 3,321-commune map is far smaller), and
# small enough that reading the largest allowed file takes seconds, not minutes.
MAX_INPUT_BYTES = 32 * 1024 * 1024
# An .xlsx or .docx of real size holds tens of members and a few megabytes of XML.
MAX_OFFICE_UNCOMPRESSED = 64 * 1024 * 1024
MAX_OFFICE_MEMBERS = 2000
# The compression methods zipfile reads; any other is refused by name before a part is opened
# (zipfile itself would only fail from inside the read, with an error naming no file).
_READABLE_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def read_input(
    path: Path, *, what: str = N_("plan file"), error: type[PlanFileError] = PlanFileError
) -> bytes:
    """The bytes of an input file, or `error` naming the file and what is wrong with it.

    The file is opened without blocking and checked to be a regular file before anything is
    read, so a FIFO or a device is refused instead of hanging the command.
    `what` is marked with `N_` by the caller and translated here.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(path, _("no such file")) from None
    except IsADirectoryError:
        raise error(path, _("is a directory, not a {what}").format(what=_(what))) from None
    except OSError as failure:
        raise error(path, _("cannot read: {reason}").format(reason=failure.strerror)) from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise error(path, _("is a directory, not a {what}").format(what=_(what)))
        if not stat.S_ISREG(status.st_mode):
            raise error(path, _("not a regular file; only regular files are read"))
        if status.st_size > MAX_INPUT_BYTES:
            raise error(
                path,
                _("too large: {size} bytes (at most {limit})").format(
                    size=status.st_size, limit=MAX_INPUT_BYTES
                ),
            )
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = -1
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as failure:
        raise error(path, _("cannot read: {reason}").format(reason=failure.strerror)) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    if len(data) > MAX_INPUT_BYTES:  # it grew while being read
        raise error(path, _("too large: more than {limit} bytes").format(limit=MAX_INPUT_BYTES))
    return data


def decode_input(
    path: Path, data: bytes, *, hint: str = "", error: type[PlanFileError] = PlanFileError
) -> str:
    """UTF-8 text (a byte-order mark allowed), or `error` saying it is not (`hint`: already
    translated advice to append)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(
            path, _("not UTF-8 text ({reason})").format(reason=failure.reason) + hint
        ) from None


def check_office_zip(
    path: Path, data: bytes, *, what: str, error: type[PlanFileError] = PlanFileError
) -> io.BytesIO:
    """`data` (an .xlsx or .docx) as a stream for its parser, once it is known to be bounded.

    A zip bomb (members inflating to gigabytes), a zip of thousands of members, or XML with a
    DTD (where entity expansion hides; Office files never have one) is refused here, before
    openpyxl or python-docx parses anything.
    """
    stream = io.BytesIO(data)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_OFFICE_MEMBERS:
                raise error(
                    path,
                    _("not a plausible {what}: {count} parts in the zip").format(
                        what=_(what), count=len(members)
                    ),
                )
            total = sum(member.file_size for member in members)
            if total > MAX_OFFICE_UNCOMPRESSED:
                raise error(
                    path,
                    _("too large once unzipped: {size} bytes (at most {limit})").format(
                        size=total, limit=MAX_OFFICE_UNCOMPRESSED
                    ),
                )
            inflated = 0
            for member in members:
                if member.compress_type not in _READABLE_COMPRESSION:
                    raise error(
                        path,
                        _(
                            "not a {what}: {part} is compressed by a method that cannot be read"
                        ).format(what=_(what), part=member.filename),
                    )
                # Read in bounded pieces: a member may lie about its size in the directory.
                with archive.open(member) as handle:
                    tail = b""
                    while chunk := handle.read(1 << 16):
                        inflated += len(chunk)
                        if inflated > MAX_OFFICE_UNCOMPRESSED:
                            raise error(
                                path,
                                _("too large once unzipped: more than {limit} bytes").format(
                                    limit=MAX_OFFICE_UNCOMPRESSED
                                ),
                            )
                        window = tail + chunk
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            raise error(
                                path,
                                _("not a plausible {what}: {part} declares a DTD").format(
                                    what=_(what), part=member.filename
                                ),
                            )
                        tail = chunk[-16:]
    except (
        zipfile.BadZipFile,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
    ) as failure:
        reason = str(failure) or type(failure).__name__
        raise error(
            path, _("not a {what} ({reason})").format(what=_(what), reason=reason)
        ) from None
    stream.seek(0)
    return stream


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: the same path, a symlink to it, or a hard link."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist yet
        return first.resolve() == second.resolve()


def refuse_crowded_parts(
    stream: io.BytesIO,
    path: Path,
    *,
    prefix: str,
    element: re.Pattern[bytes],
    limit: int,
    message: str,
    error: type[PlanFileError] = PlanFileError,
) -> None:
    """Refuse an Office file whose XML parts under `prefix` hold more than `limit` elements.

    Counting tags in the raw XML is cheap, while openpyxl and python-docx keep every element
    in memory. `message` is a catalogue msgid (marked with `N_`) with `{count}`, `{part}` and
    `{limit}` fields.
    """
    with zipfile.ZipFile(stream) as archive:
        for member in archive.infolist():
            if member.filename.startswith(prefix) and member.filename.endswith(".xml"):
                count = len(element.findall(archive.read(member)))
                if count > limit:
                    raise error(
                        path,
                        _(message).format(count=count, part=member.filename, limit=limit),
                    )
    stream.seek(0)
