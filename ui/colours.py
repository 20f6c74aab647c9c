"""Colour arithmetic for the charts: contrast (WCAG 2) and how colour-blind readers see.

Pure functions on ``#RRGGBB`` strings. ``contrast`` is WCAG 2's contrast ratio of two
colours' relative luminances; ``text_colour`` picks dark or white text for a background,
whichever reads better. ``simulate`` shows a colour as a reader with protanopia or
deuteranopia sees it (Machado, Oliveira and Fernandes 2009, severity 1, applied to linear
RGB), and ``distance`` is the CIE 1976 colour difference ΔE*ab in CIELAB (D65 white).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DARK_TEXT = "#1D2730"
LIGHT_TEXT = "#FFFFFF"
BLACK = "#000000"
TEXT_CONTRAST = 4.5  # WCAG 2 AA for text of ordinary size

# Machado et al. (2009), Table 1 at severity 1.0: linear RGB -> linear RGB as seen.
VISION: dict[str, np.ndarray] = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}

# sRGB (linear) -> CIE XYZ, D65.
_RGB_TO_XYZ = np.array(
    [
        [0.4124, 0.3576, 0.1805],
        [0.2126, 0.7152, 0.0722],
        [0.0193, 0.1192, 0.9505],
    ]
)
_WHITE = _RGB_TO_XYZ @ np.ones(3)


def rgb(colour: str) -> np.ndarray:
    """``#RRGGBB`` as three values 0–1 (gamma-encoded sRGB)."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def hex_colour(values: Sequence[float]) -> str:
    """Three values 0–1 (gamma-encoded sRGB) as ``#RRGGBB``."""
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02X}" for v in values)


def _linear(encoded: np.ndarray) -> np.ndarray:
    return np.where(encoded <= 0.04045, encoded / 12.92, ((encoded + 0.055) / 1.055) ** 2.4)


def _encoded(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance, 0 (black) to 1 (white)."""
    r, g, b = _linear(rgb(colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio, 1 (the same) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour(background: str) -> str:
    """The text colour for ``background``: the house's dark text where it reads at 4.5:1
    and better than white, else black or white, whichever contrasts more (one of the two
    always reaches 4.58:1)."""
    dark, light = contrast(DARK_TEXT, background), contrast(LIGHT_TEXT, background)
    if dark >= TEXT_CONTRAST and dark >= light:
        return DARK_TEXT
    return BLACK if contrast(BLACK, background) >= light else LIGHT_TEXT


def simulate(colour: str, vision: str) -> str:
    """``colour`` as a reader with ``vision`` (normal, protanopia, deuteranopia) sees it."""
    seen = VISION[vision] @ _linear(rgb(colour))
    return hex_colour(_encoded(seen).tolist())


def lab(colour: str) -> np.ndarray:
    """CIELAB (L*, a*, b*) of a colour, D65 white."""
    xyz = (_RGB_TO_XYZ @ _linear(rgb(colour))) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(first: str, second: str, vision: str = "normal") -> float:
    """CIE 1976 ΔE*ab between two colours as a reader with ``vision`` sees them."""
    return float(np.linalg.norm(lab(simulate(first, vision)) - lab(simulate(second, vision))))


def closest_pair(colours: Sequence[str], vision: str = "normal") -> float:
    """The smallest ΔE*ab between any two of ``colours`` under ``vision``."""
    return min(
        (distance(a, b, vision) for i, a in enumerate(colours) for b in colours[i + 1 :]),
        default=float("inf"),
    )
