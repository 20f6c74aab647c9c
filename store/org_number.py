"""Norwegian organisation numbers (organisasjonsnummer): nine digits, the last a modulus-11
control digit over the first eight with the weights 3, 2, 7, 6, 5, 4, 3, 2. A remainder of
0 gives the control digit 0; a control digit of 10 is never issued."""

from __future__ import annotations

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise(text: str) -> str:
    """The number without the spaces people write in it ("974 760 673")."""
    return "".join(str(text).split())


def control_digit(first_eight: str) -> int | None:
    """The control digit for eight digits, or None where no number can end them."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    control = 0 if remainder == 0 else 11 - remainder
    return None if control == 10 else control


def is_valid(text: str) -> bool:
    """Whether the text is a well-formed organisation number (spaces allowed)."""
    digits = normalise(text)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    return control_digit(digits[:8]) == int(digits[8])
