"""Deployments of the emulator's bundled seed that tests read by name."""

SUPPORT = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"  # running, envelope style
SUPPORT_KEY = "sk-emu-support-8e2d61b0c4f5"
SUMMARY = "a7c0e2b4-1d3f-4e5a-9b8c-7d6e5f4a3b2c"  # starting, two served names
BROKEN = "d41d8cd9-8f00-4b20-a9e8-00998ecf8427"  # failed
