"""Entry point of the plugin folder: the same provider as the `pulumi-resource-alaya` console script."""

from pulumi_alaya.plugin import main

main()
