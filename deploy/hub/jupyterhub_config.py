"""JupyterHub for one cohort on one server: local Linux users, the hardened exchange, a PostgreSQL gradebook.

Run as root, after ``deploy/hub/provision.sh`` has made the users, groups and folders (same variables)::

    sudo env TC_INSTRUCTOR=... TC_GRADERS=... TC_TRAINEES=... \\
        .venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

Every setting comes from an environment variable (defaults in brackets):

- ``TC_HUB_IP`` [127.0.0.1], ``TC_HUB_PORT`` [8000]: where trainees reach the hub. Put a TLS-terminating
  reverse proxy in front before opening it beyond this machine.
- ``TC_HUB_API_PORT`` [8081], ``TC_PROXY_API_PORT`` [8001]: the hub's and the proxy's own ports, always
  on 127.0.0.1.
- ``TC_COURSE_ID`` [trauma-curriculum]: the nbgrader course id (the course's nbgrader_config.py says the
  same).
- ``TC_INSTRUCTOR``: the Linux user who owns the course and its exchange folders; ``TC_GRADERS``: other
  supervisors who grade (comma-separated).
- ``TC_TRAINEES``: trainees (comma-separated); ``TC_TRAINEE_GROUP``: a Linux group whose members may also
  log in as trainees. Nobody else may log in.
- ``TC_HUB_ROOT`` [/srv/trauma-curriculum]: the course's folders (see provision.sh); ``TC_HUB_STATE``
  [$TC_HUB_ROOT/hub]: the hub's own database, cookie secret and proxy pid.
- ``TC_GRADEBOOK_URL``: the gradebook, given to the graders' servers only
  [postgresql+psycopg:///$TC_PG_DB?host=/var/run/postgresql&port=$TC_PG_PORT, database trauma_curriculum,
  port 5432]. Graders connect over the local socket as themselves (peer authentication): no password.
- ``TC_HUB_BIN`` [the folder of the Python running the hub]: where jupyterhub-singleuser, nbgrader and
  alembic are (nbgrader needs alembic on PATH). ``TC_HUB_PROXY``: configurable-http-proxy, installed from
  deploy/hub/package.json with ``npm ci`` [on PATH].
- ``TC_HUB_AUTHENTICATOR`` [pam]: how people log in (PAM: their Linux password).
- ``TC_HUB_ADMIN_TOKEN`` (optional): a secret (``openssl rand -hex 32``) for a ``course-admin`` service
  that may manage users, servers and tokens through the REST API (scripts, the hub test).

Graders' servers open in ``$TC_HUB_ROOT/graders`` (formgrader answers 500 unless the course folder is
inside the server's root) with umask 007, so the other graders can work on what they create; trainees'
servers open in their private home with umask 077.
"""

import os
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821  (JupyterHub provides get_config when it loads this file)


def _names(variable: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


COURSE_ID = os.environ.get("TC_COURSE_ID", "trauma-curriculum")
HUB_ROOT = Path(os.environ.get("TC_HUB_ROOT", "/srv/trauma-curriculum"))
STATE = Path(os.environ.get("TC_HUB_STATE", str(HUB_ROOT / "hub")))
INSTRUCTOR = os.environ.get("TC_INSTRUCTOR", "").strip()
GRADERS = ({INSTRUCTOR} if INSTRUCTOR else set()) | _names("TC_GRADERS")
TRAINEES = _names("TC_TRAINEES") - GRADERS
BIN = Path(os.environ.get("TC_HUB_BIN", str(Path(sys.executable).parent)))
PG_DB, PG_PORT = os.environ.get("TC_PG_DB", "trauma_curriculum"), os.environ.get("TC_PG_PORT", "5432")
GRADEBOOK = os.environ.get(
    "TC_GRADEBOOK_URL", f"postgresql+psycopg:///{PG_DB}?host=/var/run/postgresql&port={PG_PORT}"
)
if not INSTRUCTOR:
    raise SystemExit("jupyterhub_config.py: set TC_INSTRUCTOR to the Linux user who owns the course")

# -- where the hub listens: loopback unless told otherwise ----------------------------------------------
c.JupyterHub.ip = os.environ.get("TC_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("TC_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("TC_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('TC_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [os.environ.get("TC_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# -- who may log in --------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = os.environ.get("TC_HUB_AUTHENTICATOR", "pam")
c.Authenticator.allowed_users = GRADERS | TRAINEES
if os.environ.get("TC_TRAINEE_GROUP"):
    c.LocalAuthenticator.allowed_groups = {os.environ["TC_TRAINEE_GROUP"]}
c.LocalAuthenticator.create_system_users = False  # provision.sh makes users, with their groups and homes
c.Authenticator.admin_users = set()  # a hub admin could open any trainee's server: nobody is one

if os.environ.get("TC_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services = [{"name": "course-admin", "api_token": os.environ["TC_HUB_ADMIN_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "course-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"],
        "services": ["course-admin"],
    }]  # fmt: skip


# -- the single-user servers -----------------------------------------------------------------------------
class CourseSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a umask by role: graders share what they make, trainees keep it private."""

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        mask = 0o007 if name in GRADERS else 0o077

        def preexec():
            become_user()
            os.umask(mask)

        return preexec


c.JupyterHub.spawner_class = CourseSpawner
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]  # nothing else of root's environment reaches a user
c.Spawner.environment = {
    # nbgrader runs alembic from PATH; `su -` style resets would lose the venv
    "PATH": os.pathsep.join([str(BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
    # the hub-wide nbgrader configuration that provision.sh installed (exchange, course id)
    "JUPYTER_CONFIG_PATH": str(HUB_ROOT / "config"),
    "TC_HUB_ROOT": str(HUB_ROOT),
    "TC_COURSE_ID": COURSE_ID,
}


def _by_role(spawner):
    """Graders get the course folder as their root and the gradebook's address; trainees get neither."""
    name = spawner.user.name
    environment = dict(spawner.environment)
    if name in GRADERS:
        spawner.notebook_dir = str(HUB_ROOT / "graders")
        environment.update(TRAUMA_CURRICULUM_DB_URL=GRADEBOOK,
                           TC_COURSE_ROOT=str(HUB_ROOT / "graders" / COURSE_ID))  # fmt: skip
    else:
        spawner.notebook_dir = "~"
    spawner.environment = environment


c.Spawner.pre_spawn_hook = _by_role
