"""``python -m pipeline.validate.warm_templates``: compile GX's Data Docs templates into the template cache.

In:  the installed Great Expectations, ``MUNIPLAN_TEMPLATE_CACHE`` / ``XDG_CACHE_HOME`` (``docs_rendering``).
Out: the compiled templates in the cache folder and one line on stdout; run at set-up, so that the
     first validation on a machine does not compile them.
"""
from __future__ import annotations

import os
import sys

from pipeline.validate.docs_rendering import template_cache_dir, warm_template_cache


def main() -> int:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    count = warm_template_cache()
    print(f"{count} Data Docs templates compiled into {template_cache_dir() or 'memory only (MUNIPLAN_TEMPLATE_CACHE is empty)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
