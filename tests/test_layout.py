"""The layout rule of the README's Architecture section, for the layers of each app: a layer
(models, views, serializers, filters, services, openapi) is one module while it fits in about
400 lines, and past that a package of the same name with one module per resource; never a
`views_scheduled.py`-style sibling."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["post", "user"]
LAYERS = ["models", "views", "serializers", "filters", "services", "openapi"]
# "About 400": a module may run a little over while it is being split.
MAX_LINES = 420


def layer_files(app: str, layer: str) -> list[Path]:
    module, package = ROOT / app / f"{layer}.py", ROOT / app / layer
    return [module] if module.exists() else sorted(package.glob("*.py"))


@pytest.mark.parametrize("app", APPS)
def test_each_layer_is_a_module_or_a_package_never_siblings(app):
    for layer in LAYERS:
        assert not ((ROOT / app / f"{layer}.py").exists() and (ROOT / app / layer).is_dir())
        siblings = sorted(path.name for path in (ROOT / app).glob(f"{layer}_*.py"))
        assert siblings == [], f"{app}/{siblings}: use the {app}/{layer}/ package"


@pytest.mark.parametrize("app", APPS)
def test_layer_modules_stay_under_about_400_lines(app):
    for layer in LAYERS:
        for path in layer_files(app, layer):
            lines = len(path.read_text().splitlines())
            assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it"
