"""The rulesets ship inside the package as checker._bundled (package data), while the folder
stays at the project root where the contract (§2) and officers expect it. Everything else is
in pyproject.toml; only here can mapped packages join the discovered ones."""

from setuptools import find_namespace_packages, find_packages, setup

# Its subfolders (seeds/, standards/, ...) are packages too, else setuptools warns it may drop them.
BUNDLED = ["checker._bundled", *(f"checker._bundled.{name}" for name in find_namespace_packages("rulesets"))]

setup(
    packages=[*find_packages(include=["checker", "checker.*"]), *BUNDLED],
    package_dir={"checker._bundled": "rulesets"},
    package_data={name: ["*"] for name in BUNDLED},
)
