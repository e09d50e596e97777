"""Alias kept for 0.1 stacks, whose state pickles ``pulumi_alaya.provider.LoraDeploymentProvider``."""
from .dynamic.tracker_v01 import LoraDeploymentProvider  # noqa: F401
