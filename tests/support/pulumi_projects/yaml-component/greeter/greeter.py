from typing import TypedDict

import pulumi


class GreeterArgs(TypedDict):
    who: pulumi.Input[str]


class Greeter(pulumi.ComponentResource):
    message: pulumi.Output[str]

    def __init__(self, name: str, args: GreeterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("greeter:index:Greeter", name, {}, opts)
        self.message = pulumi.Output.from_input(args["who"]).apply(lambda who: f"hello, {who}")
        self.register_outputs({"message": self.message})
