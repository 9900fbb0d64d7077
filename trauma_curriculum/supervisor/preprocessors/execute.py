"""nbgrader's ``Execute``, with every kernel started in the sandbox.

nbgrader's own ``Execute`` passes ``kernel_manager_class`` to its parent's constructor, which outranks
configuration, so ``c.Execute.kernel_manager_class`` in ``nbgrader_config.py`` is silently ignored (a
submission's code then runs with the supervisor's rights). This subclass passes the sandboxed manager
the same way, and ``nbgrader_config.py`` puts it in ``Execute``'s place. Configuration of ``Execute``
(``c.Execute.timeout``) still applies, as it does to any subclass.
"""

from __future__ import annotations

from nbgrader.preprocessors import Execute

from ..sandbox import AsyncSandboxedKernelManager


class SandboxedExecute(Execute):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", AsyncSandboxedKernelManager)
        super().__init__(*args, **kwargs)
