"""`make loadtest`: the portal under gunicorn with a real worker, driven by a crowd over HTTP (see run.py)."""

# The targets every page must hold at a sustained rate: no errors, and 95 in 100 answered within this.
P95_TARGET_MS = 500
# A page asked for fewer times than this in a step has no p95 worth judging (it would be its slowest timing);
# it is judged at the steps where it is asked for more often.
MIN_TIMINGS = 20
