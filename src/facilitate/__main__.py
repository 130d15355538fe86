"""Allow ``python -m facilitate``."""

from __future__ import annotations

from facilitate.cli import main

raise SystemExit(main())
