"""The largest numbers pathway accepts, shared by the file formats and the command-line flags so
a value refused in a scenario file is refused as a flag too. They keep every sum CP-SAT forms
(30,000 units times the largest weight or GLH) far inside 64 bits."""

LARGEST = 1_000_000_000  # any count, credit, GLH or budget
MAX_WEIGHT = 1_000_000  # a preference weight, either sign
MAX_TIME_LIMIT = 86_400  # seconds: a day
