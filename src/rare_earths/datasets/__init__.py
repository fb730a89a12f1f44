"""One module per external source, each with `extract(path)` (the file as it is, snake_case columns)
and `clean(frame)` (units, codes and dates harmonised, value flags kept)."""
