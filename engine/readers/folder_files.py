"""The files of a model folder, wherever they are: a folder on disk (a Hugging Face cache
snapshot too, as it lies: its files are links into blobs/), uploaded files, or a zip of them.

A file's bytes are read only when asked for: on disk through a memory map (so a tensor's
pages are the only ones read), a zip member decompressed when first asked for. Names are
paths inside the folder with '/' ("config.json", "1_Pooling/config.json").
"""
from __future__ import annotations

import io
import re
import zipfile
from abc import ABC, abstractmethod
from pathlib import Path

from engine.readers.limits import FileFormatError, Input, Limits
from engine.units import human_bytes

ZIP_MAGIC = b"PK\x03\x04"
DEPTH = 2                   # folder levels listed below the model folder
COMMIT = re.compile(r"[0-9a-f]{40}")


def snapshot_folder(path: Path) -> Path:
    """`path` itself, or, for a Hugging Face cache folder (models--org--name, or its
    snapshots/ folder), the snapshot its refs/main names (or the only one there)."""
    repo = path.parent if path.name == "snapshots" else path
    snapshots = repo / "snapshots"
    if not repo.name.startswith("models--") or not snapshots.is_dir():
        return path
    ref = repo / "refs" / "main"
    if ref.is_file() and (snapshots / ref.read_text().strip()).is_dir():
        return snapshots / ref.read_text().strip()
    found = sorted(p for p in snapshots.iterdir() if p.is_dir())
    if len(found) != 1:
        raise FileFormatError(f"{repo.name} is a Hugging Face cache folder with {len(found)} snapshots "
                              "and no refs/main; give the snapshot folder itself "
                              f"({', '.join(p.name[:12] for p in found[:4]) or 'none'})")
    return found[0]


def model_name(path: Path) -> str:
    """A table name for a folder: its own name; for a cache snapshot, the repository's
    (models--org--name -> name); for a folder called 'model', its parent's."""
    if COMMIT.fullmatch(path.name) and path.parent.name == "snapshots":
        return path.parent.parent.name.split("--")[-1]
    if path.name in ("model", "models", "checkpoint", "") and path.parent.name:
        return path.parent.name
    return path.name


class FolderFiles(ABC):
    """name -> file of one model folder (on disk, uploaded, or in a zip). `label` says where
    it is, for messages."""

    def __init__(self, label: str, name: str, limits: Limits):
        self.label, self.name, self.limits = label, name, limits
        self._data: dict[str, object] = {}

    @abstractmethod
    def names(self) -> list[str]:
        """The folder's file names, with their sub-folders ("onnx/model.onnx")."""

    @abstractmethod
    def size(self, name: str) -> int:
        """Bytes of file `name`."""

    @abstractmethod
    def _read(self, name: str):
        """The bytes of file `name` (bytes-like), unchecked."""

    def has(self, name: str) -> bool:
        return name in self.names()

    def data(self, name: str):
        """The bytes of file `name` (bytes-like; a memory map on disk), read once."""
        if name not in self._data:
            if not self.has(name):
                raise FileFormatError(f"{self.label} has no file {name!r}")
            if self.size(name) > self.limits.max_bytes:
                raise FileFormatError(f"{name} is {human_bytes(self.size(name))}; at most "
                                      f"{human_bytes(self.limits.max_bytes)} may be read")
            self._data[name] = self._read(name)
        return self._data[name]


class DiskFolder(FolderFiles):
    def __init__(self, path: Path, limits: Limits):
        self.root = snapshot_folder(path)
        super().__init__(f"the folder {path}", model_name(self.root), limits)
        self._names = {str(p.relative_to(self.root)).replace("\\", "/"): p
                       for p in self._walk(self.root, DEPTH) if p.is_file()}

    @staticmethod
    def _walk(folder: Path, depth: int):
        for entry in sorted(folder.iterdir()):
            yield entry
            if entry.is_dir() and depth > 1 and not entry.name.startswith("."):
                yield from DiskFolder._walk(entry, depth - 1)

    def names(self) -> list[str]:
        return list(self._names)

    def size(self, name: str) -> int:
        return self._names[name].stat().st_size

    def _read(self, name: str):
        return Input(self._names[name], self.limits).whole()


class UploadedFolder(FolderFiles):
    """Uploaded files (objects with .name and .getvalue(), or (name, bytes) pairs); a file
    uploaded from a folder may carry its folder in its name ("model/config.json")."""

    def __init__(self, files, limits: Limits):
        pairs = [(f[0], f[1]) if isinstance(f, tuple) else (f.name, f) for f in files]
        super().__init__("the uploaded files", "uploaded-model", limits)
        names = [name.replace("\\", "/") for name, _ in pairs]
        top = _common_folder(names)
        self._files = {name[len(top):]: value for name, (_, value) in zip(names, pairs)}
        if top:
            self.name = top.rstrip("/").split("/")[-1]

    def names(self) -> list[str]:
        return list(self._files)

    def size(self, name: str) -> int:
        value = self._files[name]
        return value.size if hasattr(value, "size") and isinstance(value.size, int) else len(_bytes(value))

    def _read(self, name: str):
        return _bytes(self._files[name])


class ZipFolder(FolderFiles):
    """A zip of a model folder (of its files, or of the folder itself)."""

    def __init__(self, data, name: str, limits: Limits):
        super().__init__(f"the zip {name}", Path(name).stem or "uploaded-model", limits)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(bytes(data)))
            members = [m for m in self._zip.infolist()
                       if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise FileFormatError(f"{name} is not a readable zip: {error}") from None
        top = _common_folder([m.filename for m in members])
        self._members = {m.filename[len(top):]: m for m in members}
        if top:
            self.name = top.rstrip("/").split("/")[-1]

    def names(self) -> list[str]:
        return list(self._members)

    def size(self, name: str) -> int:
        return self._members[name].file_size

    def _read(self, name: str):
        try:
            return self._zip.read(self._members[name])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise FileFormatError(f"{name} in {self.label} cannot be unpacked: {error}") from None


def _bytes(value):
    return value.getvalue() if hasattr(value, "getvalue") else value


def _common_folder(names: list[str]) -> str:
    """'top/' when every name lies in one folder 'top' (a zip of the folder itself)."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop() + "/"
    return ""


def folder_files(source, limits: Limits) -> FolderFiles:
    """The FolderFiles of a folder path, a zip (path, bytes or uploaded file), or a list of
    uploaded files (a single uploaded zip in a list counts as the zip)."""
    if isinstance(source, list):
        if len(source) != 1 or not _is_zip(source[0]):
            return UploadedFolder(source, limits)
        source = source[0]
    if isinstance(source, tuple):                     # (name, bytes) of an uploaded zip
        return ZipFolder(source[1], source[0], limits)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            return DiskFolder(path, limits)
        if path.is_file() and _is_zip(path):
            return ZipFolder(path.read_bytes(), path.name, limits)
        raise FileFormatError(f"{str(path)!r} is not a folder or a zip of one")
    if _is_zip(source):
        return ZipFolder(_bytes(source), getattr(source, "name", "model.zip"), limits)
    raise FileFormatError("a model folder is a folder, its files, or a zip of them")


def _is_zip(value) -> bool:
    if isinstance(value, tuple):
        value = value[1]
    if isinstance(value, Path):
        with open(value, "rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    if isinstance(value, str):
        return False
    return bytes(_bytes(value)[:4]) == ZIP_MAGIC
