#!/usr/bin/env bash
# Make (or bring back in line) everything one cohort's hub needs: Linux users and groups, private homes,
# the course folder, the exchange folders with their modes, the hub-wide nbgrader configuration and the
# PostgreSQL gradebook. Run as root with the same variables as jupyterhub_config.py; run it again after
# adding trainees (it changes nothing that is already right, and never overwrites a grader's work).
#
#   sudo env TC_INSTRUCTOR=supervisor1 TC_GRADERS=supervisor2 TC_TRAINEES=ana,ben \
#       TC_HUB_BIN=/opt/trauma-curriculum/venv/bin deploy/hub/provision.sh
#
# Variables (defaults in brackets): TC_INSTRUCTOR (required), TC_GRADERS, TC_TRAINEES, TC_TRAINEE_GROUP
# [$TC_COURSE_ID-trainees], TC_GRADER_GROUP [$TC_COURSE_ID-graders], TC_COURSE_ID [trauma-curriculum],
# TC_HUB_ROOT [/srv/trauma-curriculum], TC_COURSE_SOURCE [this repository: nbgrader_config.py, source/,
# answer-keys/ are copied into a new course folder], TC_HUB_BIN [the venv with nbgrader and alembic],
# TC_CREATE_USERS [1: make missing users, with no password; 0: they must exist], TC_PG_DB
# [trauma_curriculum], TC_PG_PORT [5432]; TC_GRADEBOOK_URL set means the database is elsewhere and
# already prepared, so no local PostgreSQL is touched.
#
# The layout (why each mode: README, "For programme administrators"):
#   $TC_HUB_ROOT                        root         0755
#     config/nbgrader_config.py         root         0644  hub-wide nbgrader configuration
#     hub/                              root         0700  the hub's database and cookie secret
#     exchange/                         root         0755  nobody else may write the exchange root
#       $COURSE/  outbound/             instructor:graders 2775
#                 inbound/              instructor:graders 3773  setgid + sticky; trainees may add, not list
#                 feedback/             instructor:graders 2771  trainees open their own file by its name
#     graders/                          root:graders 0750  the graders' server root
#       $COURSE/                        instructor:graders 2770  the course folder (keys, solutions)
#   every course user's home            0700
set -euo pipefail

die() { echo "provision.sh: $*" >&2; exit 1; }
say() { echo "provision.sh: $*"; }
[ "$(id -u)" = 0 ] || die "run as root (it makes users, groups and folders)"

HERE=$(cd "$(dirname "$0")" && pwd)
COURSE=${TC_COURSE_ID:-trauma-curriculum}
ROOT=${TC_HUB_ROOT:-/srv/trauma-curriculum}
SOURCE=${TC_COURSE_SOURCE:-$(cd "$HERE/../.." && pwd)}
BIN=${TC_HUB_BIN:-$SOURCE/.venv/bin}
INSTRUCTOR=${TC_INSTRUCTOR:-}
GRADER_GROUP=${TC_GRADER_GROUP:-$COURSE-graders}
TRAINEE_GROUP=${TC_TRAINEE_GROUP:-$COURSE-trainees}
PG_DB=${TC_PG_DB:-trauma_curriculum}
PG_PORT=${TC_PG_PORT:-5432}

NAME='^[a-z_][a-z0-9_-]*$'  # Linux user names that are also safe, quoted, as PostgreSQL role names
words() { tr ',' ' ' <<<"${1:-}"; }
[ -n "$INSTRUCTOR" ] || die "set TC_INSTRUCTOR to the Linux user who owns the course"
GRADERS="$INSTRUCTOR $(words "${TC_GRADERS:-}")"
TRAINEES="$(words "${TC_TRAINEES:-}")"
for name in $GRADERS $TRAINEES "$GRADER_GROUP" "$TRAINEE_GROUP" "$PG_DB"; do
    [[ $name =~ $NAME ]] || die "'$name' is not a usable name (lower case letters, digits, - and _)"
done
[ -x "$BIN/nbgrader" ] || die "no nbgrader in $BIN: set TC_HUB_BIN to the bin/ of the venv the hub runs"

# -- users and groups ------------------------------------------------------------------------------------
group() { getent group "$1" >/dev/null || { groupadd "$1"; say "made group $1"; }; }
user() {
    if ! id -u "$1" >/dev/null 2>&1; then
        [ "${TC_CREATE_USERS:-1}" = 1 ] || die "no user $1 (TC_CREATE_USERS=0)"
        useradd --create-home --shell /bin/bash "$1"
        say "made user $1 (no password yet: passwd $1)"
    fi
    usermod -a -G "$2" "$1"
    # nbgrader keeps a full copy of every submission under the home: nobody else may look in it
    chmod 0700 "$(getent passwd "$1" | cut -d: -f6)"
}
group "$GRADER_GROUP"
group "$TRAINEE_GROUP"
for name in $GRADERS; do user "$name" "$GRADER_GROUP"; done
for name in $TRAINEES; do
    id -nG "$name" 2>/dev/null | tr ' ' '\n' | grep -qx "$GRADER_GROUP" && die "$name is both a grader and a trainee"
    user "$name" "$TRAINEE_GROUP"
done

# -- folders ---------------------------------------------------------------------------------------------
folder() {  # path owner group mode
    mkdir -p "$1"
    chown "$2:$3" "$1"
    chmod "$4" "$1"
}
folder "$ROOT" root root 0755
folder "$ROOT/config" root root 0755
install -o root -g root -m 0644 "$HERE/nbgrader_config.py" "$ROOT/config/nbgrader_config.py"
folder "$ROOT/hub" root root 0700
folder "$ROOT/exchange" root root 0755
folder "$ROOT/exchange/$COURSE" "$INSTRUCTOR" "$GRADER_GROUP" 2775
folder "$ROOT/exchange/$COURSE/outbound" "$INSTRUCTOR" "$GRADER_GROUP" 2775
folder "$ROOT/exchange/$COURSE/inbound" "$INSTRUCTOR" "$GRADER_GROUP" 3773
folder "$ROOT/exchange/$COURSE/feedback" "$INSTRUCTOR" "$GRADER_GROUP" 2771
folder "$ROOT/graders" root "$GRADER_GROUP" 0750
COURSE_DIR="$ROOT/graders/$COURSE"
folder "$COURSE_DIR" "$INSTRUCTOR" "$GRADER_GROUP" 2770
if [ ! -e "$COURSE_DIR/nbgrader_config.py" ]; then  # a new course: never copy over graders' work
    cp -r "$SOURCE/nbgrader_config.py" "$SOURCE/source" "$SOURCE/answer-keys" "$COURSE_DIR/"
    say "copied the course from $SOURCE into $COURSE_DIR"
fi
chown -R "$INSTRUCTOR:$GRADER_GROUP" "$COURSE_DIR"
find "$COURSE_DIR" -type d -exec chmod 2770 {} +
find "$COURSE_DIR" -type f -exec chmod ug+rw,o-rwx {} +

# -- the gradebook on PostgreSQL -------------------------------------------------------------------------
if [ -n "${TC_GRADEBOOK_URL:-}" ]; then
    say "gradebook: TC_GRADEBOOK_URL is set, so the database is prepared elsewhere"
    exit 0
fi
command -v psql >/dev/null || die "no psql: apt-get install postgresql (or set TC_GRADEBOOK_URL)"
sql() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d "${2:-postgres}" -c "$1"; }
sql "select 1" >/dev/null || die "no PostgreSQL answers on port $PG_PORT (start it, or set TC_PG_PORT)"
OWNER="${PG_DB}_owner"  # owns the database and every table: graders act as it (ALTER ROLE ... SET role)
role() {
    sql "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$1') THEN CREATE ROLE \"$1\" $2; END IF; END \$\$;"
}
role "$OWNER" NOLOGIN
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres <<SQL
SELECT 'CREATE DATABASE "$PG_DB" OWNER "$OWNER"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\gexec
REVOKE ALL ON DATABASE "$PG_DB" FROM PUBLIC;
SQL
sql "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO \"$OWNER\";" "$PG_DB"
for name in $GRADERS; do
    role "$name" LOGIN
    sql "GRANT \"$OWNER\" TO \"$name\"; GRANT CONNECT ON DATABASE \"$PG_DB\" TO \"$name\"; ALTER ROLE \"$name\" SET role = '$OWNER';"
done
# Make the tables now, as the instructor, so two graders' first requests cannot race to create them.
URL="postgresql+psycopg:///$PG_DB?host=/var/run/postgresql&port=$PG_PORT"
runuser -u "$INSTRUCTOR" -- env -i HOME=/tmp PATH="$BIN:/usr/bin:/bin" "$BIN/python" -c \
    "import sys; from nbgrader.api import Gradebook; Gradebook(sys.argv[1], sys.argv[2]).close()" "$URL" "$COURSE"
say "gradebook ready: $URL (graders connect as themselves over the local socket)"
