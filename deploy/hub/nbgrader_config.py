"""The hub-wide nbgrader configuration: every user's server reads it (provision.sh installs it in
``$TC_HUB_ROOT/config``, which the hub puts on ``JUPYTER_CONFIG_PATH``).

It names the exchange and its hardened steps (``trauma_curriculum.supervisor.exchange``). The exchange
root is set on each exchange class rather than on ``Exchange``: the course's own nbgrader_config.py,
which graders' servers load last, sets ``Exchange.root`` to the one-laptop exchange inside the course
folder, and traitlets lets a subclass's setting win over its base class's whatever the order of loading.
"""

import os

from nbgrader.exchange.default import (
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
)

from trauma_curriculum.supervisor.exchange import HardenedCollect, HardenedReleaseFeedback, HardenedSubmit

c = get_config()  # noqa: F821  (nbgrader provides get_config when it loads this file)

HUB_ROOT = os.environ.get("TC_HUB_ROOT", "/srv/trauma-curriculum")
EXCHANGE = os.path.join(HUB_ROOT, "exchange")

c.CourseDirectory.course_id = os.environ.get("TC_COURSE_ID", "trauma-curriculum")
# The exchange root belongs to root and nobody may write it: without groupshared, nbgrader insists on a
# world-writable root (and release would chmod it 0777). The course's folders in it were made in advance.
c.CourseDirectory.groupshared = True
if os.environ.get("TC_COURSE_ROOT"):  # graders only (the hub sets it): the shared course folder
    c.CourseDirectory.root = os.environ["TC_COURSE_ROOT"]

c.ExchangeFactory.submit = HardenedSubmit
c.ExchangeFactory.collect = HardenedCollect
c.ExchangeFactory.release_feedback = HardenedReleaseFeedback
for step in (HardenedSubmit, HardenedCollect, HardenedReleaseFeedback, ExchangeFetchAssignment,
             ExchangeFetchFeedback, ExchangeList, ExchangeReleaseAssignment):  # fmt: skip
    c[step.__name__].root = EXCHANGE
