"""The demo's parts (``examples/demo.py`` runs them): the steps, the Pulumi engine, the report, the app."""
