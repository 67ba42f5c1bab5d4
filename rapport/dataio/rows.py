"""Shared pieces of the row-by-row imports (managers, assignments): batches of typed rows from a file."""

from collections.abc import Iterator
from itertools import islice

from rapport.dataio.validation import Column, RowError

BATCH = 2_000


def typed_batches(
    rows: Iterator[tuple[str, ...]], mapping: dict[int, str], columns: dict[str, Column], *, batch: int = BATCH
) -> Iterator[list[tuple[int, dict, list[RowError]]]]:
    """Batches of (line, typed values by field, errors) from ``rows``; the header is line 1."""
    line = 2
    while True:
        chunk = list(islice(rows, batch))
        if not chunk:
            return
        errors: dict[int, list[RowError]] = {}
        parsed = {}
        for index, name in mapping.items():
            raw = [row[index] if len(row) > index else "" for row in chunk]
            parsed[name] = columns[name].parse(raw, errors)
        yield [
            (line + i, {name: values[i] for name, values in parsed.items()}, errors.get(i, []))
            for i in range(len(chunk))
        ]
        line += len(chunk)
