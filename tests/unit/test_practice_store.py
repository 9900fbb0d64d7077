"""The private practice record: it survives a restart, a corrupt or missing file is recreated with a
clear message, a trainee can export and delete it, and it never lives inside the curriculum's folder."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from conftest import ROOT
from trauma_curriculum.teaching import store as store_module
from trauma_curriculum.teaching.store import PracticeStore, default_path, save_practice


class Clock:
    """A fake clock that moves only when told."""

    def __init__(self, start=datetime(2026, 5, 4, 9, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "trauma-curriculum" / "practice.sqlite3"


def test_answers_survive_a_restart(path):
    clock = Clock()
    first = PracticeStore(path, clock)
    assert "new practice record was started" in first.take_notice()
    first.record("sorter", "p001", "attachment", "relational", 0, 0.7)
    clock.advance(days=1)
    first.record("unfolding", "u003", "insufficient_information", "attachment", 0, 0.6, stage=1)
    del first  # the kernel restarts
    again = PracticeStore(path, clock)
    assert again.notice is None
    answers = again.answers()
    assert [(a.source, a.item, a.stage, a.correct) for a in answers] == [("sorter", "p001", None, False),
                                                                         ("unfolding", "u003", 1, False)]  # fmt: skip
    assert answers[1].at == clock.now and answers[0].confidence == 0.7
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_corrupt_file_is_set_aside_and_practice_goes_on(path):
    PracticeStore(path).record("sorter", "p001", "both", "both", 1)
    path.write_bytes(b"this is not a database" * 50)
    recreated = PracticeStore(path, Clock())
    notice = recreated.take_notice()
    assert (
        "could not be read" in notice and "set aside as practice.sqlite3.unreadable-20260504-090000" in notice
    )
    assert "Practice goes on" in notice
    assert (
        (path.parent / "practice.sqlite3.unreadable-20260504-090000").read_bytes().startswith(b"this is not")
    )
    assert recreated.answers() == []
    recreated.record("review", "p002", "relational", "relational", 1)
    assert len(PracticeStore(path).answers()) == 1


def test_a_file_damaged_while_open_is_set_aside_on_the_next_answer(path):
    open_all_day = PracticeStore(path, Clock())
    open_all_day.take_notice()
    open_all_day.record("sorter", "p001", "both", "both", 1)
    open_all_day._close()  # as after a restart of the connection; the file is then overwritten
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(b"\0garbage" * 400)
    open_all_day.record("sorter", "p002", "both", "both", 1)
    assert "could not be read" in open_all_day.take_notice()
    assert [a.item for a in open_all_day.answers()] == ["p002"]


def test_a_file_of_another_shape_is_set_aside_too(path):
    import sqlite3

    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE answers (x)")
    assert "could not be read" in PracticeStore(path).notice


def test_a_record_deleted_while_practising_is_started_again(path):
    practising = PracticeStore(path)
    practising.take_notice()
    practising.record("sorter", "p001", "both", "both", 1)
    path.unlink()
    practising.record("sorter", "p002", "both", "both", 1)
    assert [a.item for a in practising.answers()] == ["p002"]
    assert "new practice record" in practising.take_notice()


def test_export_and_delete(path, tmp_path):
    record = PracticeStore(path)
    record.record("sorter", "p001", "attachment", "attachment", 1, 0.9)
    record.record("review", "p002", "both", "relational", 0.5, None, mode="interleaved")
    rows = list(csv.DictReader(io.StringIO(record.csv_text())))
    assert [(r["item"], r["credit"], r["confidence"], r["mode"]) for r in rows] == [
        ("p001", "1.0", "0.9", ""), ("p002", "0.5", "", "interleaved")]  # fmt: skip
    assert record.export(tmp_path / "mine.csv").read_bytes().decode() == record.csv_text()
    other_kernel = PracticeStore(path)
    record.delete()
    assert record.answers() == [] and other_kernel.answers() == []
    assert not [
        p for p in path.parent.iterdir() if p.name != path.name and not p.name.endswith(("-wal", "-shm"))
    ]


def test_the_record_is_in_the_jupyter_data_folder_and_never_in_the_curriculum(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jd"))
    assert default_path() == tmp_path / "jd" / "trauma-curriculum" / "practice.sqlite3"
    inside = PracticeStore(ROOT / "exercises" / "practice.sqlite3")
    assert inside.in_memory and "inside the curriculum's folder" in inside.notice
    assert not (ROOT / "exercises" / "practice.sqlite3").exists()
    inside.record("sorter", "p001", "both", "both", 1)
    assert len(inside.answers()) == 1


def test_a_folder_that_cannot_be_made_keeps_answers_in_memory(tmp_path):
    in_the_way = tmp_path / "jupyter"
    in_the_way.write_text("a file where the data folder should be")
    memory = PracticeStore(in_the_way / "trauma-curriculum" / "practice.sqlite3")
    assert memory.in_memory and "cannot be written" in memory.notice and "Practice goes on" in memory.notice
    memory.record("sorter", "p001", "both", "both", 1)
    assert len(memory.answers()) == 1


class BrokenStore:
    notice = None

    def record(self, *args, **kwargs):
        import sqlite3

        raise sqlite3.OperationalError("disk I/O error")


def test_saving_never_stops_an_exercise(monkeypatch):
    monkeypatch.setattr(store_module, "default_store", BrokenStore)

    class View:
        feedback = type("Feedback", (), {"value": "<p>Right.</p>"})()

    view = View()
    save_practice(view, {"id": "p001", "expert": "both", "answer": "both", "credit": 1.0})
    assert view.feedback.value.startswith("<p>Right.</p>") and "could not be saved" in view.feedback.value
