"""Errors the engine reports to users, in French, with where the problem is."""


class DataFileError(Exception):
    """A procedure or parameter file is broken: names the file, the field and the fault."""

    def __init__(self, file: str, field: str, message: str):
        super().__init__(f"{file}: {field}: {message}")
        self.file, self.field, self.message = file, field, message


class ParameterError(Exception):
    """A dated legal value is not known for the date asked."""


class ClaimError(Exception):
    """A claim file is invalid; carries every problem found, each with its field path."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{path} : {message}" for path, message in problems))
