"""nbgrader's filesystem exchange, hardened for a JupyterHub where trainees are local Linux users.

nbgrader's documented multi-user layout (an exchange root anyone can write, homes 0755) lets one trainee
read and replace another's submission once its folder name is known, and plant a submission under
another trainee's name that ``collect`` takes. Most of the fix is the filesystem layout that
``deploy/hub/provision.sh`` makes (private homes and course folder, a root-owned exchange root,
per-course folders owned by the instructor: ``inbound`` setgid, sticky and not listable, ``feedback``
0711). Three steps of nbgrader's own code undo part of that layout, and the classes here replace them:

- :class:`HardenedSubmit`: nbgrader leaves each submission folder world-writable (0777) "so the
  instructor can delete it later", and copies it with the trainee's own modes (readable by everyone
  under the usual umask). Here the submission is assembled in a private (0700) staging folder, given
  0770 folders and 0640 files (the trainee and the graders' group, which the setgid ``inbound`` gives
  it, and nobody else), then renamed into place in one step, so no other trainee can ever open it.
- :class:`HardenedCollect`: nbgrader only *warns* when a submission's folder is owned by someone other
  than the trainee its name claims, and follows symbolic links while copying (a link to the
  instructor's solutions would be collected as the trainee's notebook). Here a submission is collected
  only when it, and everything in it, is owned by the trainee it names and holds nothing but folders
  and regular files; a forged or booby-trapped one is skipped with a warning, so it can neither
  replace nor hide the trainee's real submission. The copy keeps links as links and is checked again
  after copying (a file swapped for a link in between is caught).
- :class:`HardenedReleaseFeedback`: feedback is copied with the course folder's modes (group only under
  the graders' umask), which would stop a trainee reading their own feedback; here each released file
  is made readable (0644) in the 0711 ``feedback`` folder, where only its name, derived from the
  submission's secret, opens it.

Use it from the hub-wide nbgrader configuration (``deploy/hub/nbgrader_config.py``)::

    c.ExchangeFactory.submit = "trauma_curriculum.supervisor.exchange.HardenedSubmit"
    c.ExchangeFactory.collect = "trauma_curriculum.supervisor.exchange.HardenedCollect"
    c.ExchangeFactory.release_feedback = "trauma_curriculum.supervisor.exchange.HardenedReleaseFeedback"
    c.CourseDirectory.groupshared = True   # the exchange root is root's, not writable by everyone
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import stat
from collections import defaultdict
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import check_mode, ignore_patterns

__all__ = ["HardenedCollect", "HardenedReleaseFeedback", "HardenedSubmit", "not_wholly_owned"]

SUBMISSION_DIR_MODE = 0o770  # the trainee and the graders' group (from the setgid inbound folder)
SUBMISSION_FILE_MODE = 0o640
FEEDBACK_FILE_MODE = 0o644  # inside a 0711 folder: readable only by whoever knows the file's name


def not_wholly_owned(path: str | os.PathLike, username: str) -> str | None:
    """None when ``path`` is a folder that, with everything in it, belongs to ``username`` and holds only
    folders and regular files; otherwise the reason, in a few words, to log."""
    try:
        uid = pwd.getpwnam(username).pw_uid
    except KeyError:
        return f"no local user is called {username!r}"
    top = os.lstat(path)
    if not stat.S_ISDIR(top.st_mode):
        return "it is not a folder"
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, entry) for entry in dirs + files)]:
            info = os.lstat(name)
            if stat.S_ISLNK(info.st_mode):
                return f"{os.path.relpath(name, path)} is a symbolic link"
            if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
                return f"{os.path.relpath(name, path)} is not a regular file"
            if info.st_uid != uid:
                owner = _user_name(info.st_uid)
                return f"{os.path.relpath(name, path)} belongs to {owner}, not {username}"
    return None


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _set_modes(top: str, dir_mode: int, file_mode: int) -> None:
    for folder, _, files in os.walk(top):
        os.chmod(folder, dir_mode)
        for name in files:
            os.chmod(os.path.join(folder, name), file_mode)


class HardenedSubmit(ExchangeSubmit):
    """``nbgrader submit`` whose submission only its trainee and the graders can open (see the module)."""

    def copy_files(self):
        self.init_release()
        secret = secrets.token_hex(64)
        dest_path = os.path.join(self.inbound_path, self.assignment_filename)
        name = self.assignment_filename
        cache_path = os.path.join(self.cache_path, name.rsplit("+", 1)[0] if self.add_random_string else name)
        self.log.info("Source: %s", self.src_path)
        self.log.info("Destination: %s", dest_path)
        self.check_filename_diff()
        # A private staging folder in inbound itself (same filesystem: the rename below is atomic). Its name
        # starts with a dot and has no '+', so collect never mistakes it for a submission.
        staging = os.path.join(self.inbound_path, f".staging-{secrets.token_hex(8)}")
        os.mkdir(staging, 0o700)
        try:
            staged = os.path.join(staging, "submission")
            self._copy_keeping_group(self.src_path, staged)
            Path(staged, "timestamp.txt").write_text(self.timestamp)
            Path(staged, "submission_secret.txt").write_text(secret)
            _set_modes(staged, SUBMISSION_DIR_MODE, SUBMISSION_FILE_MODE)
            os.rename(staged, dest_path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        # the trainee's own copy (in their private home), which fetch_feedback reads the secret from
        os.makedirs(self.cache_path, exist_ok=True)
        self.do_copy(self.src_path, cache_path)
        Path(cache_path, "timestamp.txt").write_text(self.timestamp)
        Path(cache_path, "submission_secret.txt").write_text(secret)
        self.log.info("Submitted as: %s %s %s", self.coursedir.course_id, self.coursedir.assignment_id,
                      self.timestamp)  # fmt: skip

    def _copy_keeping_group(self, src: str, dest: str) -> None:
        """nbgrader's copy (same limits and ignore rules) that changes no mode while copying.

        Everything made in the setgid inbound folder takes the graders' group, but a trainee's chmod of a
        folder (copytree copies the source's modes) silently drops the setgid bit, since the trainee is not
        in that group: files made in that folder afterwards would be the trainee's group, unreadable by the
        graders. So folders are made and files copied without touching modes; the modes are set at the end.
        """
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is "
                               f"{1000 * self.coursedir.max_dir_size}")  # fmt: skip
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)  # fmt: skip
        for folder, dirs, files in os.walk(src):
            skipped = set(ignore(folder, dirs + files))
            dirs[:] = [d for d in dirs if d not in skipped and not os.path.islink(os.path.join(folder, d))]
            target = os.path.normpath(os.path.join(dest, os.path.relpath(folder, src)))
            os.mkdir(target, 0o700)
            for name in files:
                if name not in skipped:
                    shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))


class HardenedCollect(ExchangeCollect):
    """``nbgrader collect`` that takes a submission only from the trainee it names (see the module)."""

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{self.coursedir.assignment_id}+*")
        by_trainee = defaultdict(list)
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            reason = not_wholly_owned(path, record["username"])
            if reason is None:
                by_trainee[record["username"]].append(record)
            else:
                self.log.warning("Not collected: %s claims to be from %s, but %s", record["filename"],
                                 record["username"], reason)  # fmt: skip
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for records in by_trainee.values():
            records = self._sort_by_timestamp(records)
            if self.duedate is not None and self.before_duedate:
                records = [r for r in records if r["timestamp"] <= self.duedate] or records
            self.src_records.append(records[0])

    def do_copy(self, src, dest, log=None):
        """Copy links as links (never what they point to), then refuse the copy if it holds any."""
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is "
                               f"{1000 * self.coursedir.max_dir_size}")  # fmt: skip
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)  # fmt: skip
        shutil.copytree(src, dest, symlinks=True, ignore=ignore)
        odd = [p for p in Path(dest).rglob("*") if p.is_symlink() or not (p.is_dir() or p.is_file())]
        if odd:
            shutil.rmtree(dest)
            self.log.warning("Not collected: %s changed while it was copied (%s is not a regular file)",
                             src, odd[0].name)  # fmt: skip
            return
        if self.coursedir.groupshared:  # the other graders work on the collected copy too
            _set_modes(dest, 0o2770, 0o660)


class HardenedReleaseFeedback(ExchangeReleaseFeedback):
    """``nbgrader release_feedback`` whose files the trainee can read by name (see the module)."""

    def copy_files(self):
        super().copy_files()
        uid = os.getuid()
        for entry in os.scandir(self.dest_path):
            if entry.name.endswith(".html") and entry.is_file(follow_symlinks=False) \
                    and entry.stat(follow_symlinks=False).st_uid == uid:  # fmt: skip
                os.chmod(entry.path, FEEDBACK_FILE_MODE)
