package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		ctx.Export("message", pulumi.String(conf.Require("greeting")+", world"))
		ctx.Export("token", conf.RequireSecret("token"))
		ctx.Export("runtime", pulumi.String("go"))
		return nil
	})
}
