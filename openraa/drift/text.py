"""Plain-text output of drift for the command line and e-mail: references only, never names."""


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"
