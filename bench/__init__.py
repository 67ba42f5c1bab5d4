"""Benchmarks: each ``bench_*.py`` module measures our code against a floor in the same run (see ``run.py``)."""
