import sys

import pulumi

config = pulumi.Config()
pulumi.export("message", f"{config.require('greeting')}, world")
pulumi.export("token", config.require_secret("token"))
pulumi.export("runtime", "python")
pulumi.export("prefix", sys.prefix)  # the virtualenv the program ran in
