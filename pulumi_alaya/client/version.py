"""The one version of pulumi-alaya: the package, the schema, every SDK, the plugin archives, the collection and
the User-Agent header all read it from here (a test holds them equal). It sits in the client so the Ansible
collection's vendored copy carries it too."""

VERSION = "0.4.0"
USER_AGENT = f"pulumi-alaya/{VERSION}"
