"""`python -m rare_earths` is the same as the `rare-earths` command."""

from rare_earths.build.cli import main

raise SystemExit(main())
