"""``python -m pipeline``: see ``pipeline.cli``. An output the disk refuses (read-only folder, full
disk, over a quota) ends the run with one line naming the file, and unusable settings
(params.yaml) with one line naming the setting, not a traceback."""
import errno
import sys

from .cli import main
from .settings import SettingsError

DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}

try:
    status = main()
except SettingsError as err:
    print(f"pipeline: {err}", file=sys.stderr)
    status = 2
except OSError as err:
    if err.errno not in DISK_ERRORS:
        raise
    where = f"cannot write {err.filename}: " if err.filename else ""
    print(f"pipeline: {where}{err.strerror or err}", file=sys.stderr)
    status = 1
sys.exit(status)
