"""The trainee's private practice record: every practice answer, kept in one small SQLite file on the
trainee's own machine.

The file lives in the user's Jupyter data directory (``jupyter_core.paths.jupyter_data_dir()``, for
example ``~/.local/share/jupyter/trauma-curriculum/practice.sqlite3``), never in the curriculum's folder,
and nothing ever sends it anywhere: the review (:mod:`.review`) and the progress page (:mod:`.progress`)
read it in the trainee's own kernel. A trainee can see, export and delete it (:class:`PracticeRecordView`).

Practice never stops because of the record: a missing file is created, an unreadable one is set aside
and a new one started, and a folder that cannot be written falls back to memory, each with one clear
sentence (:attr:`PracticeStore.notice`) that the exercise shows under its feedback.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets

from ..core.paths import BANK

FOLDER, FILENAME = "trauma-curriculum", "practice.sqlite3"
SCHEMA_VERSION = "1"
#: SQLite's write-ahead log and its index, kept beside the file.
_SIDE_FILES = ("-wal", "-shm")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,          -- when, in UTC (ISO 8601)
    source TEXT NOT NULL,      -- sorter, unfolding, review, selfcheck, cuespotter, treatmentmatcher, ...
    item TEXT NOT NULL,        -- a vignette or case id, or a drill question's stable id
    stage INTEGER,             -- an unfolding case's stage (1, 2, ...), else NULL
    expert TEXT NOT NULL,      -- the key's answer
    answer TEXT NOT NULL,      -- the trainee's answer
    credit REAL NOT NULL,      -- 1 right, 0.5 half right, 0 not
    confidence REAL,           -- 0 to 1, when rated
    mode TEXT NOT NULL DEFAULT ''  -- in the review: interleaved or blocked
);
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Answer:
    """One saved practice answer."""

    at: datetime
    source: str
    item: str
    expert: str
    answer: str
    credit: float
    confidence: float | None = None
    stage: int | None = None
    mode: str = ""

    @property
    def correct(self) -> bool:
        return self.credit >= 1


_COLUMNS = tuple(field.name for field in fields(Answer))


def default_path() -> Path:
    """Where this user's record lives (read each time, so ``JUPYTER_DATA_DIR`` is honoured)."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / FOLDER / FILENAME


def _inside_a_curriculum(path: Path) -> bool:
    """Whether ``path`` is inside a curriculum's folder (the record must never be in a repository)."""
    return any((folder / BANK).is_dir() for folder in path.resolve().parents)


class PracticeStore:
    """The answers table of one SQLite file; ``clock`` gives "now" (tests pass a fake one)."""

    def __init__(self, path: Path | None = None, clock: Callable[[], datetime] = utc_now):
        self.path = Path(path) if path is not None else default_path()
        self.clock = clock
        self.notice: str | None = None
        self._connected: sqlite3.Connection | None = None
        self._in_memory = False
        self._inode = 0
        self._lock = threading.RLock()
        if _inside_a_curriculum(self.path):
            self._use_memory(f"The practice record would be inside the curriculum's folder ({self.path.parent}), "
                             "where it could end up in a repository, so this session keeps your answers in memory "
                             "only; set JUPYTER_DATA_DIR to a folder outside it to keep them.")  # fmt: skip
        else:
            self._open()

    # -- opening, recreating -----------------------------------------------------------------------
    def _side(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    @property
    def in_memory(self) -> bool:
        """Whether answers are kept only for this session (the file could not be used)."""
        return self._in_memory

    def _use_memory(self, notice: str) -> None:
        self._close()
        self._connected = sqlite3.connect(":memory:", check_same_thread=False)
        self._in_memory = True
        self._connected.executescript(_SCHEMA)
        self.notice = notice

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with sqlite3.connect(self.path) as connection:
            # write-ahead logging: a commit need not wait for the disk, so a click answers at once; a
            # crash can lose the last answer but never damages the file
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        connection.close()
        self.path.chmod(0o600)

    def _problem(self) -> str | None:
        """Why the file cannot be used as a record (None when it can)."""
        try:
            connection = sqlite3.connect(self.path)
            try:
                if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    return "the file is damaged"
                version = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM answers LIMIT 1").fetchall()
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            return f"{error}"
        if version is None or version[0] != SCHEMA_VERSION:
            return "it was written by a different version of the curriculum"
        return None

    def _open(self) -> None:
        try:
            if not self.path.exists():
                self._create()
                self.notice = (f"A new practice record was started at {self.path}. It keeps your practice answers "
                               "on this machine only; see exercises/06-my-progress to view, export or delete it.")  # fmt: skip
                return
            problem = self._problem()
            if problem is None:
                return
            aside = self.path.with_name(f"{self.path.name}.unreadable-{self.clock():%Y%m%d-%H%M%S}")
            for suffix in _SIDE_FILES:  # the log beside it belongs to the old file, not the new one
                if self._side(suffix).exists():
                    self._side(suffix).replace(aside.with_name(aside.name + suffix))
            self.path.replace(aside)
            self._create()
            self.notice = (f"Your practice record at {self.path} could not be read ({problem}), so it was set aside "
                           f"as {aside.name} and a new, empty record was started. Practice goes on.")  # fmt: skip
        except OSError as error:
            self._use_memory(f"Your practice record cannot be written at {self.path} ({error.strerror}); this "
                             "session keeps your answers in memory only. Practice goes on.")  # fmt: skip

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the open connection (kept open: closing a WAL file's last connection
        waits for the disk); a file deleted meanwhile is started afresh rather than written into the void."""
        with self._lock:
            if not self.in_memory:
                if not self.path.exists():
                    self._close()
                    self._open()
                elif self._connected is not None and self.path.stat().st_ino != self._inode:
                    self._close()  # deleted and started anew (by another notebook): follow the new file
            if self._connected is None:
                self._connected = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
                self._connected.execute("PRAGMA synchronous=NORMAL")
                self._inode = self.path.stat().st_ino
            with self._connected:
                yield self._connected

    def _close(self) -> None:
        if self._connected is not None and not self.in_memory:
            self._connected.close()
            self._connected = None

    # -- what the exercises and pages use -----------------------------------------------------------
    def _run(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run ``work`` in a transaction; a file damaged since it was opened is set aside and started anew
        (with a notice), and the work is tried once more on the new file."""
        try:
            with self._connection() as connection:
                return work(connection)
        except sqlite3.DatabaseError:
            with self._lock:
                self._close()
                self._open()
            with self._connection() as connection:
                return work(connection)

    def add(self, answer: Answer) -> None:
        row = asdict(answer)
        row["at"] = answer.at.astimezone(UTC).isoformat()
        insert = f"INSERT INTO answers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        self._run(lambda connection: connection.execute(insert, [row[name] for name in _COLUMNS]))

    def record(self, source: str, item: str, expert: str, answer: str, credit: float,
               confidence: float | None = None, stage: int | None = None, mode: str = "") -> Answer:  # fmt: skip
        """Save one answer, stamped with the clock's time; returns what was saved."""
        saved = Answer(self.clock(), source, item, expert, answer, float(credit), confidence, stage, mode)
        self.add(saved)
        return saved

    def answers(self, sources: tuple[str, ...] | None = None) -> list[Answer]:
        """Every saved answer (of ``sources`` only, when given), oldest first."""
        select = f"SELECT {', '.join(_COLUMNS)} FROM answers ORDER BY at, id"
        rows = self._run(lambda connection: connection.execute(select).fetchall())
        found = [Answer(datetime.fromisoformat(row[0]), *row[1:]) for row in rows]
        return [a for a in found if sources is None or a.source in sources]

    def csv_text(self) -> str:
        """The whole record as CSV, one answer a row (what *Export* gives)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_COLUMNS)
        for answer in self.answers():
            row = asdict(answer)
            row["at"] = answer.at.isoformat()
            writer.writerow(["" if row[name] is None else row[name] for name in _COLUMNS])
        return buffer.getvalue()

    def export(self, target: Path) -> Path:
        """Write the record as CSV to ``target``."""
        target = Path(target)
        target.write_text(self.csv_text(), encoding="utf-8")
        return target

    def delete(self) -> None:
        """Delete every saved answer: the file itself goes, and an empty one takes its place."""
        if self.in_memory:
            self._run(lambda connection: connection.execute("DELETE FROM answers"))
            return
        self._close()
        for suffix in _SIDE_FILES:
            self._side(suffix).unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)
        self._create()

    def take_notice(self) -> str | None:
        """The notice not yet shown, once (then it is cleared)."""
        notice, self.notice = self.notice, None
        return notice


#: The saved name of an exercise's answers, where it is not the exercise's class name in lower case.
SOURCE_NAMES = {"VignetteSorter": "sorter"}

_STORES: dict[Path, PracticeStore] = {}


def default_store() -> PracticeStore:
    """This user's record (one per path per kernel, so a notice is given once)."""
    path = default_path()
    if path not in _STORES:
        _STORES[path] = PracticeStore(path)
    return _STORES[path]


def _item_id(view, record: dict) -> str:
    """The saved id of what was answered: a vignette's or case's id, else a drill question's text hashed."""
    if record.get("id"):
        return str(record["id"])
    prompt = getattr(view.deck.current, "prompt_html", "") or repr(view.deck.current)
    return hashlib.sha1(prompt.encode("utf-8")).hexdigest()[:12]


def save_practice(view, record: dict) -> None:
    """Save a checked answer of a card exercise (called by :meth:`.deck.DeckView.check`); never raises.

    A presenter's answers in workshop mode are the room's, not a trainee's practice, and are not saved.
    A view may add fields through ``practice_fields(record)`` (an unfolding case's stage, the review's
    mode), name its source with ``practice_source`` and its record with ``practice_store``.
    """
    if getattr(view, "workshop", False):
        return
    try:
        store = getattr(view, "practice_store", None) or default_store()
        extra = view.practice_fields(record) if hasattr(view, "practice_fields") else {}
        source = getattr(view, "practice_source", None) or SOURCE_NAMES.get(
            type(view).__name__, type(view).__name__.lower()
        )
        store.record(source, _item_id(view, record),
                     str(record["expert"]), str(record["answer"]), record["credit"], record.get("confidence"),
                     **extra)  # fmt: skip
        notice = store.take_notice()
    except (sqlite3.Error, OSError) as error:
        notice = f"This answer could not be saved to your practice record ({error}); practice goes on."
    if notice:
        view.feedback.value += f"<p class='tc-record-notice'><i>{html.escape(notice)}</i></p>"


class PracticeRecordView(widgets.VBox):
    """See, export and delete the practice record: where it is, what it holds, and three buttons."""

    def __init__(self, store: PracticeStore | None = None):
        from .deck import Prose, _button

        self.store = store or default_store()
        self.about = Prose()
        self.table = Prose()
        self.show_button = _button("Show my answers", "show-record", layout=widgets.Layout(width="auto"))
        self.export_button = _button("Export as CSV", "export-record", layout=widgets.Layout(width="auto"))
        self.delete_button = _button("Delete my practice record", "delete-record", button_style="danger",
                                     layout=widgets.Layout(width="auto"))  # fmt: skip
        self.confirm_yes = _button(
            "Yes, delete it", "yes", layout=widgets.Layout(width="auto", display="none")
        )
        self.confirm_no = _button("No, keep it", "keep", layout=widgets.Layout(width="auto", display="none"))
        self.message = Prose()
        self.message.add_class("tc-live")
        self.show_button.on_click(lambda _: self.show_answers())
        self.export_button.on_click(lambda _: self.export())
        self.delete_button.on_click(lambda _: self.ask_delete())
        self.confirm_yes.on_click(lambda _: self.delete())
        self.confirm_no.on_click(lambda _: self.keep())
        super().__init__([self.about, widgets.HBox([self.show_button, self.export_button, self.delete_button],
                                                   layout=widgets.Layout(flex_flow="row wrap")),
                          widgets.HBox([self.confirm_yes, self.confirm_no]), self.message, self.table])  # fmt: skip
        from .access import accessible

        self.access = accessible(self)
        self.refresh()

    def refresh(self) -> None:
        answers = self.store.answers()
        counts = Counter(a.source for a in answers)
        held = ", ".join(f"{n} from the {source}" for source, n in sorted(counts.items())) or "no answers yet"
        span = f" They run from {answers[0].at:%d %B %Y} to {answers[-1].at:%d %B %Y}." if answers else ""
        where = ("in memory only (see the note below)" if self.store.in_memory
                 else f"in <code>{html.escape(str(self.store.path))}</code>")  # fmt: skip
        self.about.value = (f"<p><b>Your practice record</b> is kept {where}, on this machine only: nothing is sent "
                            f"to anyone. It holds {len(answers)} answers ({held}).{span}</p>")  # fmt: skip
        notice = self.store.take_notice()
        if notice:
            self.message.value = f"<p><i>{html.escape(notice)}</i></p>"

    def show_answers(self, last: int = 50) -> None:
        answers = self.store.answers()[-last:]
        if not answers:
            self.table.value = "<p>No answers saved yet.</p>"
            return
        rows = "".join(f"<tr><td>{a.at:%Y-%m-%d %H:%M}</td><td>{html.escape(a.source)}</td><td>{html.escape(a.item)}"
                       f"{'' if a.stage is None else f' stage {a.stage}'}</td><td>{html.escape(a.answer)}</td>"
                       f"<td>{html.escape(a.expert)}</td><td>{a.credit:g}</td>"
                       f"<td>{'' if a.confidence is None else f'{a.confidence:.0%}'}</td></tr>" for a in reversed(answers))  # fmt: skip
        self.table.value = (f"<p>Your last {len(answers)} answers, newest first:</p><table><tr><th>When (UTC)</th>"
                            "<th>Exercise</th><th>Item</th><th>Your answer</th><th>Key</th><th>Credit</th>"
                            f"<th>Confidence</th></tr>{rows}</table>")  # fmt: skip

    def export(self) -> None:
        """Offer the record as a CSV download (the browser saves it where the trainee chooses)."""
        data = base64.b64encode(self.store.csv_text().encode("utf-8")).decode("ascii")
        self.message.value = (f"<p><a download='my-practice-record.csv' href='data:text/csv;base64,{data}'>"
                              "Download my-practice-record.csv</a> (your answers, one a row). Keep it somewhere "
                              "private: it is your own practice.</p>")  # fmt: skip

    def ask_delete(self) -> None:
        self.message.value = ("<p><b>Delete your practice record?</b> Every saved answer goes, and the review "
                              "starts afresh. This cannot be undone.</p>")  # fmt: skip
        self.confirm_yes.layout.display = self.confirm_no.layout.display = None
        self.access.move_focus(".tc-keep")

    def keep(self) -> None:
        self.confirm_yes.layout.display = self.confirm_no.layout.display = "none"
        self.message.value = "<p>Kept: nothing was deleted.</p>"

    def delete(self) -> None:
        self.store.delete()
        self.confirm_yes.layout.display = self.confirm_no.layout.display = "none"
        self.table.value = ""
        self.refresh()
        self.message.value = "<p>Deleted. Your practice record is empty; new answers start a new one.</p>"
